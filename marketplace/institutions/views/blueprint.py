"""The institutions blueprint; public.py, owner.py, staff.py and dkupp.py register its routes."""

from flask import Blueprint

bp = Blueprint("institutions", __name__)
