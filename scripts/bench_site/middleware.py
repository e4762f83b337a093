"""The number of database queries of one request, counted in the server that serves it (also when it serves another
checkout, `bench_http.py --app`): only when the request asks with the header `X-Bench-Queries: 1`, answered in the
response header of the same name. Other requests pass straight through."""

from django.db import connection


class QueryCount:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.headers.get("X-Bench-Queries") != "1":
            return self.get_response(request)
        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(count)
        return response
