-- The tables authentication reads, named and typed exactly as LiteLLM's Prisma schema creates them
-- (String[] -> TEXT[], Json -> JSONB, Float -> DOUBLE PRECISION, DateTime -> TIMESTAMP(3)), so that the same SELECTs
-- run against a database LiteLLM itself manages. Only a subset of LiteLLM's columns is created; every column created
-- here exists in LiteLLM with the same name, type, nullability and default.

CREATE TABLE "LiteLLM_BudgetTable" (
    "budget_id"             TEXT NOT NULL,
    "max_budget"            DOUBLE PRECISION,
    "soft_budget"           DOUBLE PRECISION,
    "max_parallel_requests" INTEGER,
    "tpm_limit"             BIGINT,
    "rpm_limit"             BIGINT,
    "model_max_budget"      JSONB,
    "budget_duration"       TEXT,
    "budget_reset_at"       TIMESTAMP(3),
    "created_at"            TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by"            TEXT NOT NULL,
    "updated_at"            TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by"            TEXT NOT NULL,

    CONSTRAINT "LiteLLM_BudgetTable_pkey" PRIMARY KEY ("budget_id")
);

CREATE TABLE "LiteLLM_OrganizationTable" (
    "organization_id"    TEXT NOT NULL,
    "organization_alias" TEXT NOT NULL,
    "budget_id"          TEXT NOT NULL,
    "metadata"           JSONB NOT NULL DEFAULT '{}',
    "models"             TEXT[],
    "spend"              DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "model_spend"        JSONB NOT NULL DEFAULT '{}',
    "created_at"         TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by"         TEXT NOT NULL,
    "updated_at"         TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by"         TEXT NOT NULL,

    CONSTRAINT "LiteLLM_OrganizationTable_pkey" PRIMARY KEY ("organization_id")
);

CREATE TABLE "LiteLLM_TeamTable" (
    "team_id"               TEXT NOT NULL,
    "team_alias"            TEXT,
    "organization_id"       TEXT,
    "admins"                TEXT[],
    "members"               TEXT[],
    "members_with_roles"    JSONB NOT NULL DEFAULT '{}',
    "metadata"              JSONB NOT NULL DEFAULT '{}',
    "max_budget"            DOUBLE PRECISION,
    "soft_budget"           DOUBLE PRECISION,
    "spend"                 DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "models"                TEXT[],
    "max_parallel_requests" INTEGER,
    "tpm_limit"             BIGINT,
    "rpm_limit"             BIGINT,
    "budget_duration"       TEXT,
    "budget_reset_at"       TIMESTAMP(3),
    "blocked"               BOOLEAN NOT NULL DEFAULT false,
    "created_at"            TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at"            TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "model_spend"           JSONB NOT NULL DEFAULT '{}',
    "model_max_budget"      JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "LiteLLM_TeamTable_pkey" PRIMARY KEY ("team_id")
);

CREATE TABLE "LiteLLM_UserTable" (
    "user_id"               TEXT NOT NULL,
    "user_alias"            TEXT,
    "team_id"               TEXT,
    "sso_user_id"           TEXT,
    "organization_id"       TEXT,
    "teams"                 TEXT[] DEFAULT ARRAY[]::TEXT[],
    "user_role"             TEXT,
    "max_budget"            DOUBLE PRECISION,
    "spend"                 DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "user_email"            TEXT,
    "models"                TEXT[],
    "metadata"              JSONB NOT NULL DEFAULT '{}',
    "max_parallel_requests" INTEGER,
    "tpm_limit"             BIGINT,
    "rpm_limit"             BIGINT,
    "budget_duration"       TEXT,
    "budget_reset_at"       TIMESTAMP(3),
    "model_spend"           JSONB NOT NULL DEFAULT '{}',
    "model_max_budget"      JSONB NOT NULL DEFAULT '{}',
    "created_at"            TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,
    "updated_at"            TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LiteLLM_UserTable_pkey" PRIMARY KEY ("user_id")
);

CREATE TABLE "LiteLLM_EndUserTable" (
    "user_id"              TEXT NOT NULL,
    "alias"                TEXT,
    "spend"                DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "allowed_model_region" TEXT,
    "default_model"        TEXT,
    "budget_id"            TEXT,
    "blocked"              BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "LiteLLM_EndUserTable_pkey" PRIMARY KEY ("user_id")
);

-- LiteLLM's own indexes, with Prisma's names.
CREATE UNIQUE INDEX "LiteLLM_UserTable_sso_user_id_key" ON "LiteLLM_UserTable" ("sso_user_id");
CREATE INDEX "LiteLLM_TeamTable_organization_id_idx" ON "LiteLLM_TeamTable" ("organization_id");
CREATE INDEX "LiteLLM_TeamTable_team_alias_idx" ON "LiteLLM_TeamTable" ("team_alias");
CREATE INDEX "LiteLLM_TeamTable_created_at_idx" ON "LiteLLM_TeamTable" ("created_at");

-- Ours: users are looked up by e-mail case-insensitively on every first request of a token without a known user id.
CREATE INDEX "claimgate_UserTable_lower_user_email_idx" ON "LiteLLM_UserTable" (lower("user_email"));

-- LiteLLM's foreign keys, with Prisma's names and actions.
ALTER TABLE "LiteLLM_OrganizationTable" ADD CONSTRAINT "LiteLLM_OrganizationTable_budget_id_fkey"
    FOREIGN KEY ("budget_id") REFERENCES "LiteLLM_BudgetTable" ("budget_id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "LiteLLM_TeamTable" ADD CONSTRAINT "LiteLLM_TeamTable_organization_id_fkey"
    FOREIGN KEY ("organization_id") REFERENCES "LiteLLM_OrganizationTable" ("organization_id")
    ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "LiteLLM_UserTable" ADD CONSTRAINT "LiteLLM_UserTable_organization_id_fkey"
    FOREIGN KEY ("organization_id") REFERENCES "LiteLLM_OrganizationTable" ("organization_id")
    ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "LiteLLM_EndUserTable" ADD CONSTRAINT "LiteLLM_EndUserTable_budget_id_fkey"
    FOREIGN KEY ("budget_id") REFERENCES "LiteLLM_BudgetTable" ("budget_id") ON DELETE SET NULL ON UPDATE CASCADE;
