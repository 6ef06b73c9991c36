-- How many referrals each section of a hospital's worklist holds (ReferralRepository's
-- worklistSections, in the same words: a test holds the two together). Only the calling
-- user's own hospital, whose referrals these all are, so the policy would keep every row; it
-- counts as the owner because under the policy PostgreSQL read each counted row from the table
-- to test it (a core hospital's 978 incoming referrals: 1.8 ms of a 7 ms worklist), where the
-- partial indexes alone can count them. A count is no patient data.
--
-- The caller: inside a SECURITY DEFINER function current_user is the owner; the caller is the
-- role its session has set (the owner acting as a user: yilian_act_as), else its login. A user
-- can set no role but its own groups (yilian_user has no hospital).
CREATE FUNCTION yilian_worklist_counts(code text, moment timestamptz)
RETURNS TABLE (incoming bigint, outgoing bigint, overdue bigint, to_schedule bigint, expected bigint, in_treatment bigint,
               to_acknowledge bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF code IS DISTINCT FROM yilian_hospital(coalesce(nullif(current_setting('role'), 'none'), session_user)) THEN
        RAISE EXCEPTION 'only a hospital''s own worklist is counted' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY SELECT
        (SELECT count(*) FROM referrals r WHERE r.to_hospital = code AND r.status IN ('requested', 'info_requested')),
        (SELECT count(*) FROM referrals r WHERE r.from_hospital = code
            AND r.status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed')),
        (SELECT count(*) FROM referrals r WHERE r.to_hospital = code AND r.status = 'requested' AND r.respond_by < moment),
        (SELECT count(*) FROM referrals r WHERE r.to_hospital = code AND r.status = 'accepted'),
        (SELECT count(*) FROM referrals r WHERE r.to_hospital = code AND r.status = 'scheduled'),
        (SELECT count(*) FROM referrals r WHERE r.to_hospital = code AND r.status = 'in_treatment'),
        (SELECT count(*) FROM referrals r WHERE r.from_hospital = code AND r.status = 'completed');
END
$$;
REVOKE ALL ON FUNCTION yilian_worklist_counts(text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_worklist_counts(text, timestamptz) TO yilian_user;
