"""The catalog blueprint; owner.py and public.py register its routes."""

from flask import Blueprint

bp = Blueprint("catalog", __name__)
