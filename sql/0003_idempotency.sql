-- Idempotency keys (SPEC §2): a repeated call with the same key and parameters returns the first
-- result without a second effect. Keys are scoped to the calling hospital.
CREATE TABLE idempotency_keys (
    hospital   text NOT NULL,
    key        text NOT NULL CHECK (key <> ''),
    method     text NOT NULL,
    params     jsonb NOT NULL,
    result     text,  -- NULL while the first call runs
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (hospital, key)
);
