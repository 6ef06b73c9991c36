-- Facts the alliance indicators need, kept on the referral row so a report is one scan.
ALTER TABLE referrals
    ADD COLUMN accepted_at timestamptz,
    ADD COLUMN reject_code text,
    ADD COLUMN scheduled_at timestamptz;

CREATE INDEX referrals_report ON referrals (alliance, created_at)
    INCLUDE (direction, setting, from_hospital, to_hospital, status, first_response_at, respond_by, accepted_at, reject_code,
             scheduled_at, priority);
DROP INDEX referrals_alliance;
