-- An admitted request's answer has ended: the shared form of WindowCounter.finish.
-- KEYS: per limit, its window hash and its sorted set of parallel slots. ARGV: window ms, slot id, tokens.
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[1])
local n = #KEYS / 2
for i = 1, n do
  local start = tonumber(redis.call('HGET', KEYS[2 * i - 1], 'start'))
  if start == nil or now - start >= window then
    -- The tokens count in the current window, as in memory: open it if the request's own window has closed.
    redis.call('HSET', KEYS[2 * i - 1], 'start', now, 'requests', 0, 'tokens', 0)
    redis.call('PEXPIRE', KEYS[2 * i - 1], window)
  end
  if ARGV[3] ~= '0' then
    redis.call('HINCRBY', KEYS[2 * i - 1], 'tokens', ARGV[3])
  end
  redis.call('ZREM', KEYS[2 * i], ARGV[2])
end
return {n}
