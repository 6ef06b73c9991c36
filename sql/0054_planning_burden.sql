-- The commission's planning (issue 33, SPEC §15): a disease-burden table per district, specialty
-- and year, imported whole by the platform's administrator (the commission's operator), who alone
-- plans; the planning itself is computed by the services from the registry, the alliances and
-- this table.

CREATE TABLE burden (
    district    text NOT NULL CHECK (char_length(district) BETWEEN 1 AND 32 AND district !~ '[[:cntrl:]]'),
    specialty   text NOT NULL REFERENCES specialties (code),
    year        integer NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    cases       integer NOT NULL CHECK (cases BETWEEN 0 AND 100000000),
    incidence   double precision CHECK (incidence BETWEEN 0 AND 100000),
    imported_by text NOT NULL,
    imported_at timestamptz NOT NULL,
    PRIMARY KEY (year, specialty, district)
);
REVOKE ALL ON burden FROM PUBLIC;
ALTER TABLE burden ENABLE ROW LEVEL SECURITY;
-- The commission's working table: its operator reads it.
CREATE POLICY platform_reads ON burden FOR SELECT USING (yilian_duty(yilian_caller()) = 'platform_admin');
GRANT SELECT ON burden TO yilian_user;

-- The table's rows for the years the file gives, replaced whole (the years it does not name are
-- kept), by the platform's administrator.
CREATE FUNCTION yilian_api.import_burden(districts text[], specialties text[], years integer[], cases integer[],
                                         incidences double precision[], at timestamptz) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me       record;
    imported integer;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(me.duty = 'platform_admin' AND yilian_api.on_time(import_burden.at), false) THEN
        RAISE EXCEPTION '% may not import the burden table', me.login USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT coalesce(cardinality(import_burden.districts) <= 1000000, false) THEN
        RAISE EXCEPTION 'a burden table has at most a million rows' USING ERRCODE = 'check_violation';
    END IF;
    -- One import at a time: two of the same year would otherwise meet on the key.
    LOCK TABLE burden IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM burden b WHERE b.year IN (SELECT DISTINCT y FROM unnest(import_burden.years) y);
    INSERT INTO burden (district, specialty, year, cases, incidence, imported_by, imported_at)
    SELECT t.district, t.specialty, t.year, t.cases, t.incidence, me.login, import_burden.at
    FROM unnest(import_burden.districts, import_burden.specialties, import_burden.years, import_burden.cases, import_burden.incidences)
        AS t(district, specialty, year, cases, incidence);
    GET DIAGNOSTICS imported = ROW_COUNT;
    RETURN imported;
END
$$;
REVOKE ALL ON FUNCTION yilian_api.import_burden(text[], text[], integer[], integer[], double precision[], timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_api.import_burden(text[], text[], integer[], integer[], double precision[], timestamptz) TO yilian_user;
