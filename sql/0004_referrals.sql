-- Two-way referrals, their append-only events, and reserved slots (SPEC §2).

CREATE SEQUENCE referral_numbers;

CREATE TABLE referrals (
    id            text PRIMARY KEY,
    alliance      text NOT NULL REFERENCES alliances (code),
    specialty     text NOT NULL REFERENCES specialties (code),
    direction     text NOT NULL CHECK (direction IN ('up', 'down')),
    setting       text NOT NULL CHECK (setting IN ('outpatient', 'inpatient')),
    priority      text NOT NULL CHECK (priority IN ('routine', 'urgent', 'emergency')),
    from_hospital text NOT NULL REFERENCES hospitals (code),
    to_hospital   text NOT NULL REFERENCES hospitals (code) CHECK (to_hospital <> from_hospital),
    patient       jsonb NOT NULL,
    consent       boolean NOT NULL CHECK (consent),
    diagnosis     jsonb NOT NULL,
    reason        text NOT NULL,
    summary       text,
    attachments   jsonb NOT NULL DEFAULT '[]',
    parent        text REFERENCES referrals (id),
    status        text NOT NULL CHECK (status IN ('requested', 'info_requested', 'accepted', 'rejected', 'scheduled',
                      'in_treatment', 'no_show', 'completed', 'closed', 'cancelled', 'expired')),
    version       integer NOT NULL DEFAULT 1,
    respond_by    timestamptz NOT NULL,
    -- When the current response clock started: filing, or the last provideInfo / redirect.
    clock_start   timestamptz NOT NULL,
    -- When information was last requested (info_requested expires 7 days after).
    info_requested_at timestamptz,
    slot_date     date,
    outcome       jsonb,
    escalation    integer NOT NULL DEFAULT 0,
    first_response_at timestamptz,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX referrals_incoming ON referrals (to_hospital, status, respond_by);
CREATE INDEX referrals_outgoing ON referrals (from_hospital, status, id);
CREATE INDEX referrals_alliance ON referrals (alliance, created_at);
CREATE INDEX referrals_parent ON referrals (parent) WHERE parent IS NOT NULL;
CREATE INDEX referrals_open_deadlines ON referrals (respond_by) WHERE status IN ('requested', 'info_requested');

-- One row per action; seq numbers a referral's events 1, 2, … and equals its version after it.
CREATE TABLE referral_events (
    referral    text NOT NULL REFERENCES referrals (id),
    seq         integer NOT NULL,
    action      text NOT NULL,
    from_status text,
    to_status   text NOT NULL,
    actor       text NOT NULL,
    at          timestamptz NOT NULL,
    reason      text,
    details     jsonb,
    PRIMARY KEY (referral, seq)
);

CREATE TRIGGER referral_events_append_only BEFORE UPDATE OR DELETE ON referral_events
    FOR EACH ROW EXECUTE FUNCTION refuse_event_change();
CREATE TRIGGER referral_events_no_truncate BEFORE TRUNCATE ON referral_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_event_change();

-- Reserved capacity for alliance referrals (号源下沉). Booked never exceeds capacity.
CREATE TABLE slots (
    hospital  text NOT NULL REFERENCES hospitals (code),
    specialty text NOT NULL REFERENCES specialties (code),
    date      date NOT NULL,
    capacity  integer NOT NULL CHECK (capacity >= 0),
    booked    integer NOT NULL DEFAULT 0 CHECK (booked >= 0 AND booked <= capacity),
    PRIMARY KEY (hospital, specialty, date)
);
