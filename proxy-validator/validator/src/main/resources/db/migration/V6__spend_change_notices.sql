-- Spend-only changes get notices of their own: "spend:kind:id" (e.g. "spend:team:research") when an UPDATE changed
-- nothing but spend columns (and the updated_at stamp Prisma sets with them), as every spend flush does, the
-- gateway's and LiteLLM's. Such a change decides no access but the budget check, so replicas keep serving the object
-- they remember while they read it once more, rather than dropping it and making every request for it wait for that
-- read (issue 12: with one flush a second, those waits were most of the gateway's p99 with spend on). Any other change
-- is announced as in V3. With migrations off, docs/database.md gives this file to run by hand, after V3.

CREATE OR REPLACE FUNCTION claimgate_announce_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    kind    TEXT := TG_ARGV[0];
    payload TEXT;
    old_row JSONB;
    new_row JSONB;
    -- LiteLLM's spend columns: "spend" on every table, "model_spend" on teams, users and organizations, and
    -- "total_spend" on memberships.
    spend_columns CONSTANT TEXT[] := ARRAY['spend', 'model_spend', 'total_spend', 'updated_at'];
    spend_prefix  TEXT := '';
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('claimgate_changes', 'all:');
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        old_row := to_jsonb(OLD);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_row := to_jsonb(NEW);
    END IF;
    IF TG_OP = 'UPDATE' AND kind <> 'budget' AND (new_row - spend_columns) = (old_row - spend_columns) THEN
        -- The id is unchanged, so the two payloads below are one, and PostgreSQL sends it once.
        spend_prefix := 'spend:';
    END IF;
    -- The row as it is now, and as it was when its id changed, so that both ids are dropped.
    FOREACH payload IN ARRAY ARRAY[
        CASE WHEN new_row IS NULL THEN NULL
             WHEN TG_NARGS > 2 THEN kind || ':' || (new_row ->> TG_ARGV[1]) || ':' || (new_row ->> TG_ARGV[2])
             ELSE kind || ':' || (new_row ->> TG_ARGV[1]) END,
        CASE WHEN old_row IS NULL THEN NULL
             WHEN TG_NARGS > 2 THEN kind || ':' || (old_row ->> TG_ARGV[1]) || ':' || (old_row ->> TG_ARGV[2])
             ELSE kind || ':' || (old_row ->> TG_ARGV[1]) END]
    LOOP
        IF payload IS NOT NULL THEN
            payload := spend_prefix || payload;
            -- PostgreSQL refuses payloads of 8000 bytes; an id that long is announced as "everything changed".
            PERFORM pg_notify('claimgate_changes', CASE WHEN length(payload) > 7900 THEN 'all:' ELSE payload END);
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;
