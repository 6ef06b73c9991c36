-- Facts the alliance indicators need, kept on the referral row so a report is one scan.
ALTER TABLE referrals
    ADD COLUMN accepted_at timestamptz,
    ADD COLUMN reject_code text,
    ADD COLUMN scheduled_at timestamptz;

-- Covers every column the indicator query reads, so a report can be an index-only scan.
CREATE INDEX referrals_report ON referrals (alliance, created_at)
    INCLUDE (id, direction, setting, priority, from_hospital, to_hospital, status, escalation, first_response_at, accepted_at,
             reject_code, scheduled_at);
DROP INDEX referrals_alliance;
