-- The access log (SPEC §6) names, as its actor, a user of the reader's own hospital: the reader
-- itself, or the colleague an integration acts for.
DROP POLICY readers_append ON access_log;
CREATE POLICY readers_append ON access_log FOR INSERT
    WITH CHECK (login = current_user::text AND hospital = (SELECT yilian_hospital(current_user))
                AND split_part(actor, '@', 2) = hospital);
-- `audit.list --referral`: which reads touched one referral.
CREATE INDEX access_log_referrals ON access_log USING gin (referrals);
