from flask import Blueprint

bp = Blueprint("coach", __name__)
