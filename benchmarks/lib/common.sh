# Shell functions shared by benchmarks/run.sh and benchmarks/stack/run-probe.sh; sourced, not run.

# wait_for_port PORT [PID]: up to 60 s, or until PID has exited
wait_for_port() {
  for _ in $(seq 1 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    if [ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null; then
      return 1
    fi
    sleep 0.5
  done
  return 1
}

# cpu_ticks PID [children]: CPU time in clock ticks from /proc/PID/stat: utime + stime (fields 14 and 15), with
# "children" also cutime + cstime (16, 17) of children that have exited and been waited for. The command name
# (field 2) may hold spaces, so fields are counted after its closing parenthesis.
cpu_ticks() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
  awk -v with_children="${2:-}" '{print $12 + $13 + (with_children ? $14 + $15 : 0)}' <<< "${stat##*) }"
}

# write_nginx_conf DIR UPSTREAM_PORT PROXY_PORT [SSE_PORT]: DIR/nginx.conf for one nginx worker that is both the
# upstream (a fixed 70-byte JSON, and the JWKS under DIR/www) and, on PROXY_PORT, nginx proxy_pass to it with
# keep-alive: the floor any proxy pays. With SSE_PORT, /chat/completions (no /v1) is the streaming route, handed to
# the SSE upstream unbuffered, so direct and through a gateway take the same path behind the upstream port.
write_nginx_conf() {
  local dir="$1" upstream="$2" proxy="$3" sse="${4:-}" sse_upstream="" sse_location=""
  if [ -n "$sse" ]; then
    sse_upstream="upstream sse { server 127.0.0.1:$sse; keepalive 16; }"
    sse_location="location = /chat/completions {
      proxy_pass http://sse;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_buffering off;
    }"
  fi
  cat > "$dir/nginx.conf" <<NGINX
user root;
worker_processes 1;
daemon on;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/tmp-body;
  proxy_temp_path $dir/tmp-proxy;
  fastcgi_temp_path $dir/tmp-fastcgi;
  uwsgi_temp_path $dir/tmp-uwsgi;
  scgi_temp_path $dir/tmp-scgi;
  default_type application/json;
  keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$upstream; keepalive 128; }
  $sse_upstream
  server {
    listen 127.0.0.1:$upstream;
    root $dir/www;
    location = /realms/claimgate/protocol/openid-connect/certs { }
    $sse_location
    location / { return 200 '{"id":"chatcmpl-bench","object":"chat.completion","model":"gpt-4o-mini"}'; }
  }
  server {
    listen 127.0.0.1:$proxy;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
NGINX
}
