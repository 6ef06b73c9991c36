-- referral.list by alliance and status (the usual search: an alliance's open referrals) without
-- walking the table in id order: 55 ms → 9 ms at a million referrals.
CREATE INDEX referrals_alliance_status ON referrals (alliance, status, id);
