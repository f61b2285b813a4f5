-- The audit log: about 3M rows in twelve monthly partitions, with a JSON before-image of what changed.
\set ON_ERROR_STOP on
INSERT INTO audit.audit_log
SELECT g, timestamptz '2024-01-01 00:00:00+00' + (g * 10) * interval '1 second',
	(ARRAY['hsg.officer1','income.team','asb.team','support.worker','repairs.desk','system'])[1 + g % 6],
	(ARRAY['update','view','insert','delete','export'])[1 + (g / 6) % 5],
	(ARRAY['tenant','tenancy','rent_account','repairs_job','case_note'])[1 + (g / 30) % 5], 1 + g % 100000,
	CASE WHEN g % 5 = 0 THEN jsonb_build_object('mobile', public.b_phone(g), 'email', public.b_email(g)) END,
	'request ' || substr(md5(g::text), 1, 16)
FROM generate_series(1, 3000000) g;
