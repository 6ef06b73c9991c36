-- The commission's planning (issue 33, SPEC §15): a disease-burden table per district, specialty
-- and year, imported whole by the platform's administrator (the commission's operator), who alone
-- plans; the planning itself is computed by the services from the registry, the alliances and
-- this table.

CREATE TABLE burden (
    district    text NOT NULL CHECK (char_length(district) BETWEEN 1 AND 32 AND btrim(district) = district
                                 AND district !~ U&'[[:cntrl:]\0080-\00A0\2000-\200F\2028-\202F\205F-\2064\3000\FEFF]'),
    specialty   text NOT NULL REFERENCES specialties (code),
    year        integer NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    cases       integer NOT NULL CHECK (cases BETWEEN 0 AND 100000000),
    incidence   double precision CHECK (incidence BETWEEN 0 AND 100000),
    imported_by text NOT NULL,
    imported_at timestamptz NOT NULL,
    PRIMARY KEY (year, specialty, district)
);
-- The commission's working table: no user reads it directly (a row policy would still let a user
-- count rows with EXPLAIN ANALYZE and time its check against their own conditions); its operator
-- reads it through yilian_api.burden.
REVOKE ALL ON burden FROM PUBLIC;
ALTER TABLE burden ENABLE ROW LEVEL SECURITY;

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
    IF NOT coalesce(cardinality(import_burden.districts) <= 1000000 AND cardinality(import_burden.specialties) = cardinality(import_burden.districts)
                    AND cardinality(import_burden.years) = cardinality(import_burden.districts)
                    AND cardinality(import_burden.cases) = cardinality(import_burden.districts)
                    AND cardinality(import_burden.incidences) = cardinality(import_burden.districts), false) THEN
        RAISE EXCEPTION 'a burden table is at most a million rows, each with a value in every column array' USING ERRCODE = 'check_violation';
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

-- The burden table's rows of `year` (else of its latest), its years, and its districts where no
-- hospital is registered: to the platform's administrator only.
CREATE FUNCTION yilian_api.burden(of_year integer) RETURNS TABLE(district text, specialty text, year integer, cases integer,
                                                             incidence double precision, years integer[], unregistered text[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$#variable_conflict use_column
DECLARE
    me     record;
    wanted integer;
    held   integer[];
    orphan text[];
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF me.duty IS DISTINCT FROM 'platform_admin' THEN
        RAISE EXCEPTION '% may not read the burden table', me.login USING ERRCODE = 'insufficient_privilege';
    END IF;
    wanted := coalesce(of_year, (SELECT max(b.year) FROM public.burden b));
    held := ARRAY(SELECT DISTINCT b.year FROM public.burden b ORDER BY b.year);
    orphan := ARRAY(SELECT DISTINCT b.district FROM public.burden b
                    WHERE NOT EXISTS (SELECT FROM hospitals h WHERE h.district = b.district) ORDER BY b.district);
    RETURN QUERY SELECT b.district, b.specialty, b.year, b.cases, b.incidence, held, orphan FROM public.burden b WHERE b.year = wanted
    UNION ALL SELECT NULL, NULL, wanted, NULL, NULL, held, orphan
    ORDER BY 2 NULLS FIRST, 1;
END
$$;
REVOKE ALL ON FUNCTION yilian_api.burden(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_api.burden(integer) TO yilian_user;
