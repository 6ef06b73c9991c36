-- Generates :n referrals (psql variable) in the demo database, spread evenly over 5 alliances
-- (PAIN-BJ from `yilian demo` and 4 generated ones) and the years 2025–2026, with a realistic mix
-- of directions, settings and outcomes. Ids start with G- so they never meet real ones.
INSERT INTO alliances (code, name, specialty, core, created_at)
SELECT 'GEN-' || a, '生成医联体 ' || a, 'pain', 'ZRYY', now() FROM generate_series(1, 4) a
ON CONFLICT DO NOTHING;

INSERT INTO referrals (id, alliance, specialty, direction, setting, priority, from_hospital, to_hospital, patient, consent, diagnosis,
                       reason, status, version, respond_by, clock_start, first_response_at, accepted_at, reject_code, scheduled_at,
                       escalation, created_at, updated_at)
SELECT 'G-' || lpad(g::text, 7, '0'),
       (ARRAY['PAIN-BJ', 'GEN-1', 'GEN-2', 'GEN-3', 'GEN-4'])[1 + g % 5],
       'pain',
       CASE WHEN k % 7 < 2 THEN 'down' ELSE 'up' END,
       CASE WHEN k % 2 = 0 THEN 'outpatient' ELSE 'inpatient' END,
       (ARRAY['routine', 'routine', 'urgent', 'emergency'])[1 + k % 4],
       CASE WHEN k % 7 < 2 THEN 'ZRYY' ELSE (ARRAY['MYQYY', 'JGYY', 'CHC-HPL', 'CHC-GL'])[1 + k % 4] END,
       CASE WHEN k % 7 < 2 THEN (ARRAY['MYQYY', 'JGYY', 'CHC-HPL', 'CHC-GL'])[1 + k % 4] ELSE 'ZRYY' END,
       '{"name": "测试患者", "sex": "unknown", "birthDate": "1970-01-01", "idNumber": null, "phone": null}', true,
       '[{"code": "M79.2", "name": "神经痛"}]', '生成数据',
       (ARRAY['closed', 'closed', 'completed', 'in_treatment', 'scheduled', 'accepted', 'rejected', 'no_show', 'cancelled', 'requested'])[1 + k % 10],
       1, t.ts + interval '72 hours', t.ts,
       CASE WHEN k % 10 <> 9 THEN t.ts + (k % 47) * interval '1 hour' END,
       CASE WHEN k % 10 IN (0, 1, 2, 3, 4, 5, 7, 8) THEN t.ts + (k % 47) * interval '1 hour' END,
       CASE WHEN k % 10 = 6 THEN (ARRAY['capacity_full', 'outside_scope', 'not_indicated'])[1 + k % 3] END,
       CASE WHEN k % 10 IN (0, 1, 2, 3, 4, 7) THEN t.ts + interval '50 hours' END,
       CASE WHEN k % 53 = 0 THEN 1 ELSE 0 END,
       t.ts, t.ts
FROM generate_series(1, :n) g,
     LATERAL (SELECT g / 5 AS k, timestamptz '2025-01-01 00:00+00' + ((g::bigint * 7919) % 730) * interval '1 day' + (g % 1440) * interval '1 minute' AS ts) t;

VACUUM ANALYZE referrals;
