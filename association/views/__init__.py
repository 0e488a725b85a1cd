"""The association's pages, one module per topic: pages (home, privacy, health check, error
pages), documents (documents in force and their versions) and meetings (roll, check-in,
attendance, quorum). association/urls.py names each view through its module."""
