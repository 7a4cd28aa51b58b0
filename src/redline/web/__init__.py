"""The web app: pages over the store with JSON twins, and a JSON API (`create_app`)."""
