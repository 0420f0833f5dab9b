-- The tables spend is written to, named and typed exactly as LiteLLM's Prisma schema creates them (String -> TEXT,
-- Int -> INTEGER, Float -> DOUBLE PRECISION, DateTime -> TIMESTAMP(3), Json -> JSONB), so that LiteLLM's UI and its
-- /spend/* reports read what Claimgate writes. Unlike V1 every column of these tables is created, since LiteLLM's
-- reports select them. IF NOT EXISTS throughout: a database where LiteLLM already created them keeps its own.

CREATE TABLE IF NOT EXISTS "LiteLLM_SpendLogs" (
    "request_id"               TEXT NOT NULL,
    "call_type"                TEXT NOT NULL,
    "api_key"                  TEXT NOT NULL DEFAULT '',
    "spend"                    DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "total_tokens"             INTEGER NOT NULL DEFAULT 0,
    "prompt_tokens"            INTEGER NOT NULL DEFAULT 0,
    "completion_tokens"        INTEGER NOT NULL DEFAULT 0,
    "startTime"                TIMESTAMP(3) NOT NULL,
    "endTime"                  TIMESTAMP(3) NOT NULL,
    "request_duration_ms"      INTEGER,
    "completionStartTime"      TIMESTAMP(3),
    "model"                    TEXT NOT NULL DEFAULT '',
    "model_id"                 TEXT DEFAULT '',
    "model_group"              TEXT DEFAULT '',
    "custom_llm_provider"      TEXT DEFAULT '',
    "api_base"                 TEXT DEFAULT '',
    "user"                     TEXT DEFAULT '',
    "metadata"                 JSONB DEFAULT '{}',
    "cache_hit"                TEXT DEFAULT '',
    "cache_key"                TEXT DEFAULT '',
    "request_tags"             JSONB DEFAULT '[]',
    "team_id"                  TEXT,
    "organization_id"          TEXT,
    "end_user"                 TEXT,
    "requester_ip_address"     TEXT,
    "messages"                 JSONB DEFAULT '{}',
    "response"                 JSONB DEFAULT '{}',
    "session_id"               TEXT,
    "status"                   TEXT,
    "mcp_namespaced_tool_name" TEXT,
    "agent_id"                 TEXT,
    "proxy_server_request"     JSONB DEFAULT '{}',

    CONSTRAINT "LiteLLM_SpendLogs_pkey" PRIMARY KEY ("request_id")
);

-- LiteLLM's own indexes, with Prisma's names.
CREATE INDEX IF NOT EXISTS "LiteLLM_SpendLogs_startTime_idx" ON "LiteLLM_SpendLogs" ("startTime");
CREATE INDEX IF NOT EXISTS "LiteLLM_SpendLogs_startTime_request_id_idx" ON "LiteLLM_SpendLogs" ("startTime", "request_id");
CREATE INDEX IF NOT EXISTS "LiteLLM_SpendLogs_end_user_idx" ON "LiteLLM_SpendLogs" ("end_user");
CREATE INDEX IF NOT EXISTS "LiteLLM_SpendLogs_session_id_idx" ON "LiteLLM_SpendLogs" ("session_id");

-- A user's spend and budget within one team.
CREATE TABLE IF NOT EXISTS "LiteLLM_TeamMembership" (
    "user_id"     TEXT NOT NULL,
    "team_id"     TEXT NOT NULL,
    "spend"       DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "total_spend" DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "budget_id"   TEXT,

    CONSTRAINT "LiteLLM_TeamMembership_pkey" PRIMARY KEY ("user_id", "team_id")
);

-- LiteLLM also links "budget_id" to "LiteLLM_BudgetTable" with a foreign key. It is left out here: budget rows are
-- managed (and emptied) without knowing about memberships, and a membership naming a missing budget simply has no
-- budget, which is how the gateway reads it.
