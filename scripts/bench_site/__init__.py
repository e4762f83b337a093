"""The site of the HTTP benchmark (scripts/bench_http.py): the production settings and the project's URLs, plus a
bare view as the floor and a query count on request. Never part of the product."""
