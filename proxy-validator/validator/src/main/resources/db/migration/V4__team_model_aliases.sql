-- Team model aliases, as LiteLLM keeps them: "LiteLLM_TeamTable".model_id points at a "LiteLLM_ModelTable" row whose
-- "aliases" JSON maps a requested model name to the model the team's requests run (LiteLLM's team_model_aliases).
-- The gateway reads them to decide a team's model access as the upstream will run the request. On a database LiteLLM
-- manages, both already exist with these names and types; IF NOT EXISTS leaves them as they are.

CREATE TABLE IF NOT EXISTS "LiteLLM_ModelTable" (
    "id"         SERIAL NOT NULL,
    "aliases"    JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL DEFAULT '',
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "LiteLLM_ModelTable_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "LiteLLM_TeamTable" ADD COLUMN IF NOT EXISTS "model_id" INTEGER;
CREATE UNIQUE INDEX IF NOT EXISTS "LiteLLM_TeamTable_model_id_key" ON "LiteLLM_TeamTable" ("model_id");

-- A team caches its aliases with its row, so a change to them is announced as a change of every team using them.
CREATE OR REPLACE FUNCTION claimgate_announce_model_aliases() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed INTEGER[];
    team    TEXT;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('claimgate_changes', 'all:');
        RETURN NULL;
    END IF;
    changed := ARRAY[CASE WHEN TG_OP <> 'INSERT' THEN OLD.id END, CASE WHEN TG_OP <> 'DELETE' THEN NEW.id END];
    FOR team IN SELECT team_id FROM "LiteLLM_TeamTable" WHERE model_id = ANY (changed) LOOP
        PERFORM pg_notify('claimgate_changes',
                CASE WHEN length(team) > 7900 THEN 'all:' ELSE 'team:' || team END);
    END LOOP;
    RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS claimgate_change_notice ON "LiteLLM_ModelTable";
CREATE TRIGGER claimgate_change_notice AFTER INSERT OR UPDATE OR DELETE ON "LiteLLM_ModelTable"
    FOR EACH ROW EXECUTE FUNCTION claimgate_announce_model_aliases();
DROP TRIGGER IF EXISTS claimgate_change_notice_truncate ON "LiteLLM_ModelTable";
CREATE TRIGGER claimgate_change_notice_truncate AFTER TRUNCATE ON "LiteLLM_ModelTable"
    FOR EACH STATEMENT EXECUTE FUNCTION claimgate_announce_model_aliases();
