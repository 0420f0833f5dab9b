-- Change notices: every change to a LiteLLM table the gateway caches is announced on the channel
-- "claimgate_changes" (payload "kind:id", e.g. "team:research"), whoever makes it: the gateway's management API, or
-- LiteLLM's own UI and API on the same database. Every gateway replica LISTENs and drops the cached object at once,
-- instead of serving it for up to its cache TTL. Notices are sent when the changing transaction commits, and
-- PostgreSQL sends identical ones of one transaction once (a spend flush touching a team many times: one notice).
--
-- With migrations off (a database LiteLLM manages), docs/database.md gives this file to run by hand; without it the
-- replicas still hear of each other's management changes, and other writers' changes apply within the cache TTL.

CREATE OR REPLACE FUNCTION claimgate_announce_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    kind    TEXT := TG_ARGV[0];
    payload TEXT;
    old_row JSONB;
    new_row JSONB;
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
            -- PostgreSQL refuses payloads of 8000 bytes; an id that long is announced as "everything changed".
            PERFORM pg_notify('claimgate_changes', CASE WHEN length(payload) > 7900 THEN 'all:' ELSE payload END);
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS claimgate_change_notice ON "LiteLLM_TeamTable";
CREATE TRIGGER claimgate_change_notice AFTER INSERT OR UPDATE OR DELETE ON "LiteLLM_TeamTable"
    FOR EACH ROW EXECUTE FUNCTION claimgate_announce_change('team', 'team_id');
DROP TRIGGER IF EXISTS claimgate_change_notice_truncate ON "LiteLLM_TeamTable";
CREATE TRIGGER claimgate_change_notice_truncate AFTER TRUNCATE ON "LiteLLM_TeamTable"
    FOR EACH STATEMENT EXECUTE FUNCTION claimgate_announce_change('all');

DROP TRIGGER IF EXISTS claimgate_change_notice ON "LiteLLM_UserTable";
CREATE TRIGGER claimgate_change_notice AFTER INSERT OR UPDATE OR DELETE ON "LiteLLM_UserTable"
    FOR EACH ROW EXECUTE FUNCTION claimgate_announce_change('user', 'user_id');
DROP TRIGGER IF EXISTS claimgate_change_notice_truncate ON "LiteLLM_UserTable";
CREATE TRIGGER claimgate_change_notice_truncate AFTER TRUNCATE ON "LiteLLM_UserTable"
    FOR EACH STATEMENT EXECUTE FUNCTION claimgate_announce_change('all');

DROP TRIGGER IF EXISTS claimgate_change_notice ON "LiteLLM_OrganizationTable";
CREATE TRIGGER claimgate_change_notice AFTER INSERT OR UPDATE OR DELETE ON "LiteLLM_OrganizationTable"
    FOR EACH ROW EXECUTE FUNCTION claimgate_announce_change('organization', 'organization_id');
DROP TRIGGER IF EXISTS claimgate_change_notice_truncate ON "LiteLLM_OrganizationTable";
CREATE TRIGGER claimgate_change_notice_truncate AFTER TRUNCATE ON "LiteLLM_OrganizationTable"
    FOR EACH STATEMENT EXECUTE FUNCTION claimgate_announce_change('all');

DROP TRIGGER IF EXISTS claimgate_change_notice ON "LiteLLM_EndUserTable";
CREATE TRIGGER claimgate_change_notice AFTER INSERT OR UPDATE OR DELETE ON "LiteLLM_EndUserTable"
    FOR EACH ROW EXECUTE FUNCTION claimgate_announce_change('end_user', 'user_id');
DROP TRIGGER IF EXISTS claimgate_change_notice_truncate ON "LiteLLM_EndUserTable";
CREATE TRIGGER claimgate_change_notice_truncate AFTER TRUNCATE ON "LiteLLM_EndUserTable"
    FOR EACH STATEMENT EXECUTE FUNCTION claimgate_announce_change('all');

DROP TRIGGER IF EXISTS claimgate_change_notice ON "LiteLLM_BudgetTable";
CREATE TRIGGER claimgate_change_notice AFTER INSERT OR UPDATE OR DELETE ON "LiteLLM_BudgetTable"
    FOR EACH ROW EXECUTE FUNCTION claimgate_announce_change('budget', 'budget_id');
DROP TRIGGER IF EXISTS claimgate_change_notice_truncate ON "LiteLLM_BudgetTable";
CREATE TRIGGER claimgate_change_notice_truncate AFTER TRUNCATE ON "LiteLLM_BudgetTable"
    FOR EACH STATEMENT EXECUTE FUNCTION claimgate_announce_change('all');

DROP TRIGGER IF EXISTS claimgate_change_notice ON "LiteLLM_TeamMembership";
CREATE TRIGGER claimgate_change_notice AFTER INSERT OR UPDATE OR DELETE ON "LiteLLM_TeamMembership"
    FOR EACH ROW EXECUTE FUNCTION claimgate_announce_change('membership', 'team_id', 'user_id');
DROP TRIGGER IF EXISTS claimgate_change_notice_truncate ON "LiteLLM_TeamMembership";
CREATE TRIGGER claimgate_change_notice_truncate AFTER TRUNCATE ON "LiteLLM_TeamMembership"
    FOR EACH STATEMENT EXECUTE FUNCTION claimgate_announce_change('all');
