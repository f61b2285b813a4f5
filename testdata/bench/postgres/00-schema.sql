-- Housing association CRM for scripts/bench-crm (PostgreSQL). Synthetic data only: names from fixed pools,
-- emails at example.org, phones in Ofcom's drama range (07700 900xxx), NHS numbers and NINOs built to pass
-- their checks but generated from row numbers. Tables are UNLOGGED: the database is throwaway and this halves
-- the build time.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE SCHEMA crm;
CREATE SCHEMA hr;
CREATE SCHEMA finance;
CREATE SCHEMA repairs;
CREATE SCHEMA audit;

-- Generators, in public so no scanned schema holds them. IMMUTABLE so the planner can fold them.
CREATE FUNCTION public.b_pick(arr text[], i bigint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT arr[1 + (abs(i) % array_length(arr, 1))::int] $$;

CREATE FUNCTION public.b_first(i bigint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT public.b_pick('{Olivia,Amelia,Isla,Ava,Mia,Grace,Sophia,Lily,Freya,Ivy,Oliver,George,Noah,Arthur,Leo,Harry,Oscar,Archie,Henry,Jack,Mohammed,Aisha,Priya,Tomasz,Zofia,Kwame,Chloe,Ethan,Ruby,Daniel,Megan,Rhys,Siobhan,Callum,Niamh,Fatima,Yusuf,Ellie,Jacob,Poppy}'::text[], i * 7 + i / 40) $$;

CREATE FUNCTION public.b_last(i bigint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT public.b_pick('{Smith,Jones,Taylor,Brown,Williams,Wilson,Johnson,Davies,Robinson,Wright,Thompson,Evans,Walker,White,Roberts,Green,Hall,Wood,Jackson,Clarke,Patel,Khan,Ahmed,Begum,Kowalski,Nowak,Okafor,Mensah,Hughes,Edwards,Murphy,Kelly,Lewis,Harris,Martin,Cooper,Ward,Morris,Moore,Clark}'::text[], i * 13 + i / 37) $$;

CREATE FUNCTION public.b_phone(i bigint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT '07700 900' || lpad((abs(i) % 1000)::text, 3, '0') $$;

CREATE FUNCTION public.b_email(i bigint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT lower(public.b_first(i) || '.' || public.b_last(i)) || (i % 1000) || '@example.org' $$;

CREATE FUNCTION public.b_postcode(i bigint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT public.b_pick('{LS6,M14,B29,S10,NE6,BS5,CF24,L15,NG7,SE15,E17,N19,LE3,HU5,SR4}'::text[], i) || ' '
    || (abs(i) % 9 + 1) || public.b_pick('{A,B,D,E,F,G,H,J,L,N,P,Q,R,S,T,U,W,X,Y,Z}'::text[], i / 3)
    || public.b_pick('{A,B,D,E,F,G,H,J,L,N,P,Q,R,S,T,U,W,X,Y,Z}'::text[], i / 7) $$;

CREATE FUNCTION public.b_nino(i bigint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT public.b_pick('{AB,CE,EH,JG,KL,MA,NP,PR,SW,TW,WK,YH,HT,LE,OB}'::text[], i) || lpad(((abs(i) * 48271) % 1000000)::text, 6, '0')
    || public.b_pick('{A,B,C,D}'::text[], i / 15) $$;

-- A ten-digit NHS number whose mod 11 check digit is right: the base whose check would be 10 moves on by one.
CREATE FUNCTION public.b_nhs(i bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
	b bigint := 400000000 + (abs(i) * 7919) % 99999999;
	s int; c int; k int;
BEGIN
	LOOP
		s := 0;
		FOR k IN 1..9 LOOP
			s := s + ((b / (10 ^ (9 - k))::bigint) % 10)::int * (11 - k);
		END LOOP;
		c := 11 - s % 11;
		IF c = 11 THEN c := 0; END IF;
		IF c <> 10 THEN
			RETURN substr(b::text, 1, 3) || ' ' || substr(b::text, 4, 3) || ' ' || substr(b::text, 7, 3) || c;
		END IF;
		b := b + 1;
	END LOOP;
END $$;

CREATE FUNCTION public.b_dob(i bigint) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT date '1940-01-01' + ((abs(i) * 7919) % 25000)::int $$;

-- Core tables. Some column names are cryptic on purpose, with the meaning only in the comment, as in real CRMs.
CREATE UNLOGGED TABLE crm.properties (
	property_id int PRIMARY KEY, uprn bigint, address_line1 text, town text, postcode text,
	property_type text, bedrooms int, built_year int, scheme_name text);
CREATE UNLOGGED TABLE crm.tenants (
	tenant_id int PRIMARY KEY, title text, first_name text, last_name text, date_of_birth date,
	ni_ref text, email text, mobile text, preferred_contact text, profile jsonb, created_at timestamptz);
COMMENT ON COLUMN crm.tenants.ni_ref IS 'National Insurance number as given at sign-up';
COMMENT ON COLUMN crm.tenants.profile IS 'Extra details captured by the lettings team';
CREATE UNLOGGED TABLE crm.tenancies (
	tenancy_id int PRIMARY KEY, tenant_id int, property_id int, start_date date, end_date date,
	tenancy_type text, weekly_rent numeric(8,2), status text);
CREATE UNLOGGED TABLE crm.household_members (
	member_id int PRIMARY KEY, tenancy_id int, full_name text, date_of_birth date, relationship text, dependant boolean);
CREATE UNLOGGED TABLE crm.contacts (
	contact_id int PRIMARY KEY, tenant_id int, contact_type text, name text, phone text, email text, notes text);
CREATE UNLOGGED TABLE crm.addresses (
	address_id int PRIMARY KEY, tenant_id int, line1 text, line2 text, town text, postcode text, address_type text, valid_from date);
CREATE UNLOGGED TABLE crm.support_needs (
	need_id int PRIMARY KEY, tenant_id int, category text, details text, recorded_by text, recorded_at date);
COMMENT ON COLUMN crm.support_needs.details IS 'Health conditions, disabilities and support the tenant needs';
CREATE UNLOGGED TABLE crm.asb_cases (
	case_id int PRIMARY KEY, perpetrator_tenant_id int, reported_by text, incident_type text,
	description text, police_ref text, opened date, closed date);
CREATE UNLOGGED TABLE crm.safeguarding_referrals (
	referral_id int PRIMARY KEY, tenant_id int, referred_to text, concern text, risk_level text, referred_on date);
CREATE UNLOGGED TABLE crm.complaints (
	complaint_id int PRIMARY KEY, tenant_id int, channel text, summary text, stage int, received date, ombudsman boolean);
CREATE UNLOGGED TABLE crm.case_notes (
	note_id bigint PRIMARY KEY, tenant_id int, author text, note_type text, note text, created_at timestamptz);
CREATE UNLOGGED TABLE crm.equality_monitoring (
	tenant_id int PRIMARY KEY, ethnicity text, religion text, sexual_orientation text, gender_identity text,
	disability text, first_language text, answered_on date);
CREATE UNLOGGED TABLE finance.rent_accounts (
	account_id int PRIMARY KEY, tenancy_id int, payment_ref text, sort_code text, bank_account text,
	payment_method text, balance numeric(10,2), arrears_stage text);
COMMENT ON COLUMN finance.rent_accounts.bank_account IS 'Direct debit account number';
CREATE UNLOGGED TABLE finance.transactions (
	txn_id bigint PRIMARY KEY, account_id int, txn_date date, amount numeric(10,2), txn_type text,
	reference text, description text);
CREATE UNLOGGED TABLE finance.direct_debits (
	mandate_id int PRIMARY KEY, account_id int, account_holder text, sort_code text, account_number text,
	collection_day int, status text);
CREATE UNLOGGED TABLE finance.benefit_claims (
	claim_id int PRIMARY KEY, tenant_id int, benefit text, ni_number text, award_weekly numeric(8,2), notes text);
CREATE UNLOGGED TABLE repairs.operatives (
	operative_id int PRIMARY KEY, name text, trade text, mobile text, van_reg text);
CREATE UNLOGGED TABLE repairs.repairs_jobs (
	job_id bigint PRIMARY KEY, property_id int, reported_by_tenant int, operative_id int, priority text,
	trade text, description text, access_notes text, raised date, completed date, cost numeric(8,2));
CREATE UNLOGGED TABLE hr.staff (
	staff_id int PRIMARY KEY, first_name text, last_name text, date_of_birth date, ni_no text, email text,
	mobile text, job_title text, salary numeric(9,2), start_date date, home_postcode text);
CREATE UNLOGGED TABLE hr.payroll (
	payroll_id int PRIMARY KEY, staff_id int, period date, gross numeric(9,2), tax_code text, ref2 text,
	sort_code text, account_number text, net numeric(9,2));
COMMENT ON COLUMN hr.payroll.ref2 IS 'NI no.';
CREATE UNLOGGED TABLE hr.sickness_absence (
	absence_id int PRIMARY KEY, staff_id int, first_day date, last_day date, reason text, fit_note boolean);
CREATE UNLOGGED TABLE hr.dbs_checks (
	check_id int PRIMARY KEY, staff_id int, level text, certificate_no text, issued date, outcome text, disclosure_notes text);
COMMENT ON COLUMN hr.dbs_checks.disclosure_notes IS 'Convictions and cautions disclosed on the DBS certificate';
CREATE UNLOGGED TABLE audit.login_events (
	event_id bigint PRIMARY KEY, username text, ip_address text, user_agent text, success boolean, at timestamptz);
-- The partitioned audit log: monthly partitions of 2024.
CREATE TABLE audit.audit_log (
	log_id bigint, logged_at timestamptz NOT NULL, actor text, action text, entity text, entity_id bigint,
	old_value jsonb, detail text) PARTITION BY RANGE (logged_at);
DO $$
BEGIN
	FOR m IN 1..12 LOOP
		EXECUTE format('CREATE UNLOGGED TABLE audit.audit_log_2024_%s PARTITION OF audit.audit_log FOR VALUES FROM (%L) TO (%L)',
			lpad(m::text, 2, '0'), make_date(2024, m, 1), make_date(2024, m, 1) + interval '1 month');
	END LOOP;
END $$;
CREATE UNLOGGED TABLE audit.schema_migrations (version text PRIMARY KEY, applied_at timestamptz, tables int);

-- About 250 small lookup, configuration and reporting tables, as every long-lived CRM grows.
DO $$
DECLARE n int;
BEGIN
	FOR n IN 1..100 LOOP
		EXECUTE format('CREATE UNLOGGED TABLE crm.lookup_%s (code text PRIMARY KEY, description text, active boolean, sort_order int)', lpad(n::text, 3, '0'));
		EXECUTE format('INSERT INTO crm.lookup_%s SELECT ''C'' || g, public.b_pick(''{Active,Closed,Pending,Suspended,Void,Under review,Referred,Escalated}''::text[], g + %s) || '' '' || g, g %% 5 <> 0, g FROM generate_series(1, 20) g', lpad(n::text, 3, '0'), n);
	END LOOP;
	FOR n IN 1..70 LOOP
		EXECUTE format('CREATE UNLOGGED TABLE finance.report_%s (period date, region text, tenancies int, arrears numeric(12,2), collected numeric(12,2), collection_rate numeric(5,2))', lpad(n::text, 3, '0'));
		EXECUTE format('INSERT INTO finance.report_%s SELECT date ''2020-01-01'' + g * 30, public.b_pick(''{North,South,East,West,Central}''::text[], g), 1000 + g * %s, g * 1234.5, g * 23456.7, 90 + (g %% 9) FROM generate_series(1, 60) g', lpad(n::text, 3, '0'), n);
	END LOOP;
	FOR n IN 1..45 LOOP
		EXECUTE format('CREATE UNLOGGED TABLE repairs.config_%s (setting text PRIMARY KEY, value text, updated_by text, updated_at timestamptz)', lpad(n::text, 3, '0'));
		EXECUTE format('INSERT INTO repairs.config_%s SELECT ''setting_'' || g, (g * %s)::text, public.b_email(g + %s), timestamptz ''2023-01-01'' + g * interval ''1 day'' FROM generate_series(1, 12) g', lpad(n::text, 3, '0'), n, n * 100);
	END LOOP;
	FOR n IN 1..35 LOOP
		EXECUTE format('CREATE UNLOGGED TABLE hr.ref_%s (code text PRIMARY KEY, description text, valid_from date)', lpad(n::text, 3, '0'));
		EXECUTE format('INSERT INTO hr.ref_%s SELECT ''R'' || g, public.b_pick(''{Grade,Band,Location,Team,Cost centre,Contract}''::text[], g) || '' '' || g, date ''2019-04-01'' + g FROM generate_series(1, 15) g', lpad(n::text, 3, '0'));
	END LOOP;
END $$;
