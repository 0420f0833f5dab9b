-- wrk script: the request a gateway sees most, a small chat completion, with the benchmark token.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("CLAIMGATE_BENCH_TOKEN")
wrk.body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}'
