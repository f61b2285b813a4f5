-- The people tables: tenants, households, contacts, staff. Small next to the ledgers but the richest in personal data.
\set ON_ERROR_STOP on
INSERT INTO crm.properties
SELECT g, 100000000000 + g * 37, (g % 200 + 1) || ' ' || public.b_pick('{Station Road,Church Lane,Victoria Street,Park Avenue,Mill Lane,Queens Road,Green Close,Albert Terrace}'::text[], g),
	public.b_pick('{Leeds,Manchester,Birmingham,Sheffield,Newcastle,Bristol,Cardiff,Liverpool,Nottingham,London}'::text[], g), public.b_postcode(g),
	public.b_pick('{Flat,House,Bungalow,Maisonette,Bedsit}'::text[], g), 1 + g % 4, 1900 + g % 120, 'Scheme ' || (g % 300)
FROM generate_series(1, 60000) g;

INSERT INTO crm.tenants
SELECT g, public.b_pick('{Mr,Mrs,Ms,Miss,Mx,Dr}'::text[], g), public.b_first(g), public.b_last(g), public.b_dob(g),
	public.b_nino(g), public.b_email(g), public.b_phone(g), public.b_pick('{email,phone,letter,text}'::text[], g),
	jsonb_build_object('nhs_no', public.b_nhs(g), 'preferred_language', public.b_pick('{English,Polish,Urdu,Somali,Arabic,Welsh}'::text[], g),
		'vulnerability', public.b_pick('{none,none,none,mental health,learning disability,hearing impairment}'::text[], g),
		'emergency_contact', jsonb_build_object('name', public.b_first(g + 7) || ' ' || public.b_last(g + 3), 'phone', public.b_phone(g + 11))),
	timestamptz '2010-01-01' + g * interval '47 minutes'
FROM generate_series(1, 100000) g;

INSERT INTO crm.tenancies
SELECT g, 1 + g % 100000, 1 + g % 60000, date '2005-01-01' + g % 6500, CASE WHEN g % 5 = 0 THEN date '2005-01-01' + g % 6500 + 700 END,
	public.b_pick('{Assured,Starter,Secure,Shared ownership}'::text[], g), 80 + (g % 120), public.b_pick('{current,current,current,ended}'::text[], g)
FROM generate_series(1, 120000) g;

INSERT INTO crm.household_members
SELECT g, 1 + g % 120000, public.b_first(g + 5) || ' ' || public.b_last(g / 2), public.b_dob(g + 3),
	public.b_pick('{partner,son,daughter,parent,lodger,carer}'::text[], g), g % 3 = 0
FROM generate_series(1, 200000) g;

INSERT INTO crm.contacts
SELECT g, 1 + g % 100000, public.b_pick('{next of kin,advocate,social worker,GP,solicitor}'::text[], g),
	public.b_first(g + 9) || ' ' || public.b_last(g + 4), public.b_phone(g + 1), public.b_email(g + 17),
	public.b_pick('{Call after 5pm,Has lasting power of attorney,Prefers text,Speaks for tenant at meetings}'::text[], g)
FROM generate_series(1, 150000) g;

INSERT INTO crm.addresses
SELECT g, 1 + g % 100000, (g % 150 + 1) || ' ' || public.b_pick('{High Street,Manor Road,New Road,Chapel Street,The Crescent}'::text[], g),
	CASE WHEN g % 4 = 0 THEN 'Flat ' || (g % 20 + 1) END,
	public.b_pick('{Leeds,Manchester,Birmingham,Sheffield,Bradford,Hull,Derby,Leicester}'::text[], g), public.b_postcode(g + 5),
	public.b_pick('{previous,correspondence,forwarding}'::text[], g), date '2000-01-01' + g % 8000
FROM generate_series(1, 150000) g;

INSERT INTO crm.support_needs
SELECT g, 1 + g * 2 % 100000, public.b_pick('{health,mobility,mental health,substance misuse,learning disability}'::text[], g),
	public.b_pick('{Diagnosed with type 2 diabetes; needs ground floor property.,Has epilepsy and lives alone - check in weekly.,Long-term depression and anxiety; CPN visits fortnightly.,Wheelchair user after a stroke in 2019.,Recovering from alcohol dependency; engaged with support worker.,Registered blind; correspondence in large print.,Schizophrenia - medication managed by community mental health team.,Pregnant; due date in spring. Needs adaptation assessment.}'::text[], g),
	public.b_email(g + 300), date '2015-01-01' + g % 3000
FROM generate_series(1, 50000) g;

INSERT INTO crm.asb_cases
SELECT g, 1 + g * 3 % 100000, public.b_first(g + 21) || ' ' || public.b_last(g + 8),
	public.b_pick('{noise,harassment,criminal damage,drug dealing,domestic abuse,threats}'::text[], g),
	public.b_pick('{Neighbour reports shouting and threats; tenant was arrested and cautioned for assault.,Police attended after criminal damage to the communal door. Tenant charged.,Suspected drug dealing from the flat; police warrant executed.,Tenant convicted of harassment at magistrates court; injunction sought.,Repeated noise complaints at night; warning letter issued.}'::text[], g),
	CASE WHEN g % 3 = 0 THEN 'WY/' || (10000 + g) || '/24' END, date '2019-01-01' + g % 1800, CASE WHEN g % 2 = 0 THEN date '2019-06-01' + g % 1800 END
FROM generate_series(1, 20000) g;

INSERT INTO crm.safeguarding_referrals
SELECT g, 1 + g * 7 % 100000, public.b_pick('{Adult social care,Childrens services,Police,MARAC,GP}'::text[], g),
	public.b_pick('{Signs of self-neglect and hoarding; tenant has dementia.,Child at risk: domestic abuse disclosed by mother.,Financial abuse suspected by a family member.,Tenant disclosed suicidal thoughts to the neighbourhood officer.}'::text[], g),
	public.b_pick('{low,medium,high}'::text[], g), date '2020-01-01' + g % 1500
FROM generate_series(1, 10000) g;

INSERT INTO crm.complaints
SELECT g, 1 + g * 11 % 100000, public.b_pick('{phone,email,web,letter}'::text[], g),
	public.b_pick('{Damp and mould not fixed after three visits.,Staff member was rude on the phone.,Repair appointment missed twice.,Service charge increase not explained.}'::text[], g),
	1 + g % 2, date '2021-01-01' + g % 1200, g % 40 = 0
FROM generate_series(1, 30000) g;

INSERT INTO crm.equality_monitoring
SELECT g, public.b_pick('{White British,White Irish,Black Caribbean,Black African,Indian,Pakistani,Bangladeshi,Chinese,Mixed White and Asian,Gypsy or Irish Traveller,Prefer not to say}'::text[], g),
	public.b_pick('{Christian,Muslim,Hindu,Sikh,Jewish,Buddhist,No religion,Prefer not to say}'::text[], g / 3),
	public.b_pick('{Heterosexual,Gay or lesbian,Bisexual,Prefer not to say}'::text[], g / 5),
	public.b_pick('{Same as sex registered at birth,Different from sex registered at birth,Prefer not to say}'::text[], g / 7),
	public.b_pick('{No,Yes - physical,Yes - mental health,Yes - learning,Prefer not to say}'::text[], g / 2),
	public.b_pick('{English,Polish,Urdu,Punjabi,Somali,Arabic}'::text[], g / 11), date '2018-01-01' + g % 2000
FROM generate_series(1, 80000) g;

INSERT INTO finance.rent_accounts
SELECT g, g, 'RA' || lpad(g::text, 8, '0'), lpad((200000 + g % 99999)::text, 6, '0'), lpad((10000000 + g * 7 % 89999999)::text, 8, '0'),
	public.b_pick('{direct debit,standing order,housing benefit,universal credit,cash}'::text[], g), (g % 2000) - 500.25,
	public.b_pick('{none,none,reminder,NOSP served,court}'::text[], g)
FROM generate_series(1, 120000) g;

INSERT INTO finance.direct_debits
SELECT g, g, public.b_first(g) || ' ' || public.b_last(g), lpad((300000 + g % 99999)::text, 6, '0'), lpad((20000000 + g * 13 % 79999999)::text, 8, '0'),
	1 + g % 28, public.b_pick('{active,cancelled}'::text[], g)
FROM generate_series(1, 100000) g;

INSERT INTO finance.benefit_claims
SELECT g, 1 + g * 3 % 100000, public.b_pick('{Universal Credit,Housing Benefit,PIP,ESA}'::text[], g), public.b_nino(g * 3),
	50 + g % 200, public.b_pick('{Awaiting DWP decision,Claim suspended pending review,Backdated award}'::text[], g)
FROM generate_series(1, 60000) g;

INSERT INTO repairs.operatives
SELECT g, public.b_first(g + 50) || ' ' || public.b_last(g + 50), public.b_pick('{plumber,electrician,joiner,plasterer,gas engineer}'::text[], g),
	public.b_phone(g + 500), 'YX' || (10 + g % 60) || ' ' || public.b_pick('{ABC,DEF,GHJ,KLM,NPR}'::text[], g)
FROM generate_series(1, 500) g;

INSERT INTO hr.staff
SELECT g, public.b_first(g + 1000), public.b_last(g + 1000), public.b_dob(g + 1000), public.b_nino(g + 1000), public.b_email(g + 1000),
	public.b_phone(g + 1000), public.b_pick('{Housing Officer,Income Officer,Repairs Planner,Support Worker,Team Leader}'::text[], g),
	22000 + g % 30000, date '2008-01-01' + g % 5000, public.b_postcode(g + 1000)
FROM generate_series(1, 3000) g;

INSERT INTO hr.payroll
SELECT g, 1 + g % 3000, date '2021-01-31' + (g / 3000) * 30, 1800 + g % 1500, public.b_pick('{1257L,BR,0T,D0}'::text[], g),
	public.b_nino(1 + g % 3000 + 1000), lpad((400000 + g % 3000)::text, 6, '0'), lpad((30000000 + g % 3000)::text, 8, '0'), 1500 + g % 1200
FROM generate_series(1, 108000) g;

INSERT INTO hr.sickness_absence
SELECT g, 1 + g % 3000, date '2022-01-01' + g % 900, date '2022-01-05' + g % 900,
	public.b_pick('{Back pain,Stress at work,Surgery recovery,Covid-19,Migraine,Depression,Pregnancy-related illness}'::text[], g), g % 2 = 0
FROM generate_series(1, 12000) g;

INSERT INTO hr.dbs_checks
SELECT g, g, public.b_pick('{basic,standard,enhanced}'::text[], g), lpad((1000000000 + g * 7)::text, 12, '0'), date '2020-01-01' + g % 1200,
	public.b_pick('{clear,clear,clear,information disclosed}'::text[], g),
	CASE WHEN g % 4 = 3 THEN public.b_pick('{Caution for possession of cannabis (2009).,Conviction for drink driving; 12 month ban (2014).,Spent conviction for theft disclosed under enhanced check.}'::text[], g) END
FROM generate_series(1, 3000) g;

INSERT INTO audit.login_events
SELECT g, lower(public.b_first(g % 3000 + 1000)) || '.' || lower(public.b_last(g % 3000 + 1000)), '10.' || (g % 250) || '.' || (g / 250 % 250) || '.' || (g % 7),
	public.b_pick('{Mozilla/5.0 (Windows NT 10.0),Mozilla/5.0 (Macintosh),Mozilla/5.0 (iPhone)}'::text[], g), g % 20 <> 0,
	timestamptz '2024-01-01' + g * interval '2 minutes'
FROM generate_series(1, 200000) g;
