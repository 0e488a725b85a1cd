"""Membership views, one module per audience: applications (applicants and the secretariat's
review), membership (a member's own pages), public (directory, certificate check) and
secretariat (the roster). members/urls.py names each view through its module."""
