-- Repairs: about 2M jobs with short free-text descriptions and access notes.
\set ON_ERROR_STOP on
INSERT INTO repairs.repairs_jobs
SELECT g, 1 + g % 60000, CASE WHEN g % 4 <> 0 THEN 1 + g % 100000 END, 1 + g % 500,
	(ARRAY['emergency','urgent','routine','planned'])[1 + g % 4],
	(ARRAY['plumbing','electrical','joinery','roofing','gas','damp'])[1 + (g / 4) % 6],
	(ARRAY['Leaking tap in kitchen','No heating or hot water','Front door lock broken','Damp and black mould in bedroom','Roof tiles missing after storm','Boiler pressure dropping','Broken window in lounge','Blocked toilet'])[1 + (g / 3) % 8]
		|| ' - job ' || g,
	CASE WHEN g % 10 = 0 THEN 'Tenant has a dog; call ' || public.b_phone(g) || ' before visiting'
	     WHEN g % 17 = 0 THEN 'Tenant is a wheelchair user, allow extra time'
	     WHEN g % 29 = 0 THEN 'Key safe code with neighbour' END,
	date '2016-01-01' + (g / 700)::int, CASE WHEN g % 9 <> 0 THEN date '2016-01-05' + (g / 700)::int END, (g % 50000) / 100.0
FROM generate_series(1, 2000000) g;
