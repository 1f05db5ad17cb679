from flask import Blueprint

bp = Blueprint("fieldofficers", __name__)
