"""The HTTP side of casec: a Flask app built by :func:`casec.web.app.create_app`, one blueprint per concern."""
