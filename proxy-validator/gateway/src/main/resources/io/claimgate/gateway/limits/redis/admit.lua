-- Counts one request against every limit, or against none: the shared form of WindowCounter.tryTake.
-- KEYS: per limit, its window hash (start, requests, tokens) and its sorted set of parallel slots (score = expiry).
-- ARGV: window ms, slot lease ms, slot id, then per limit rpm, tpm, max parallel (-1 = no limit).
-- Reply: refusing limit's index (-1 = counted), refusing type (0 requests, 1 tokens, 2 parallel), now, then per limit
-- requests, tokens, in flight, window start.
-- The server's clock, not each replica's: one clock for every replica's windows. TIME before writes needs effect
-- replication, the default since Redis 5; older servers are asked for it.
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local slot = ARGV[3]
local n = #KEYS / 2
local reply = {-1, -1, now}
local starts, requests, tokens, inflight = {}, {}, {}, {}
for i = 1, n do
  local stored = redis.call('HMGET', KEYS[2 * i - 1], 'start', 'requests', 'tokens')
  local start = tonumber(stored[1])
  local r = tonumber(stored[2]) or 0
  local t = tonumber(stored[3]) or 0
  if start == nil or now - start >= window then
    start = now
    r = 0
    t = 0
  end
  -- A slot whose replica died without finishing frees itself when its lease ends.
  redis.call('ZREMRANGEBYSCORE', KEYS[2 * i], '-inf', now)
  local f = redis.call('ZCARD', KEYS[2 * i])
  local rpm = tonumber(ARGV[3 * i + 1])
  local tpm = tonumber(ARGV[3 * i + 2])
  local parallel = tonumber(ARGV[3 * i + 3])
  local refused = -1
  if rpm >= 0 and r + 1 > rpm then
    refused = 0
  elseif tpm >= 0 and t >= tpm then
    refused = 1
  elseif parallel >= 0 and f + 1 > parallel then
    refused = 2
  end
  starts[i], requests[i], tokens[i], inflight[i] = start, r, t, f
  if refused >= 0 then
    reply[1] = i - 1
    reply[2] = refused
    for j = 1, n do
      local k = 4 * (j - 1) + 4
      reply[k], reply[k + 1], reply[k + 2], reply[k + 3] = 0, 0, 0, 0
    end
    local k = 4 * (i - 1) + 4
    reply[k], reply[k + 1], reply[k + 2], reply[k + 3] = r, t, f, start
    return reply
  end
end
for i = 1, n do
  local r = requests[i] + 1
  local f = inflight[i] + 1
  redis.call('HSET', KEYS[2 * i - 1], 'start', starts[i], 'requests', r, 'tokens', tokens[i])
  -- A closed window is worth nothing: the next request opens a new one.
  redis.call('PEXPIRE', KEYS[2 * i - 1], starts[i] + window - now)
  redis.call('ZADD', KEYS[2 * i], now + lease, slot)
  redis.call('PEXPIRE', KEYS[2 * i], lease)
  local k = 4 * (i - 1) + 4
  reply[k], reply[k + 1], reply[k + 2], reply[k + 3] = r, tokens[i], f, starts[i]
end
return reply
