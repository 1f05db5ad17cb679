"""The admin blueprint; setup.py and people.py register its routes."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
