-- The people tables: tenants, households, contacts, staff. Small next to the ledgers but the richest in personal data.
SET SESSION unique_checks = 0, foreign_key_checks = 0;
START TRANSACTION;
INSERT INTO crm_properties SELECT seq, 100000000000 + seq * 37,
	CONCAT(seq % 200 + 1, ' ', ELT(1 + seq % 8, 'Station Road','Church Lane','Victoria Street','Park Avenue','Mill Lane','Queens Road','Green Close','Albert Terrace')),
	ELT(1 + seq % 10, 'Leeds','Manchester','Birmingham','Sheffield','Newcastle','Bristol','Cardiff','Liverpool','Nottingham','London'), b_postcode(seq),
	ELT(1 + seq % 5, 'Flat','House','Bungalow','Maisonette','Bedsit'), 1 + seq % 4, 1900 + seq % 120, CONCAT('Scheme ', seq % 300)
FROM seq_1_to_60000;

INSERT INTO crm_tenants SELECT seq, ELT(1 + seq % 6, 'Mr','Mrs','Ms','Miss','Mx','Dr'), b_first(seq), b_last(seq),
	DATE '1940-01-01' + INTERVAL (seq * 7919) % 25000 DAY, b_nino(seq), b_email(seq), b_phone(seq), ELT(1 + seq % 4, 'email','phone','letter','text'),
	JSON_OBJECT('nhs_no', b_nhs(seq), 'preferred_language', ELT(1 + seq % 6, 'English','Polish','Urdu','Somali','Arabic','Welsh'),
		'vulnerability', ELT(1 + seq % 6, 'none','none','none','mental health','learning disability','hearing impairment'),
		'emergency_contact', JSON_OBJECT('name', CONCAT(b_first(seq + 7), ' ', b_last(seq + 3)), 'phone', b_phone(seq + 11))),
	TIMESTAMP '2010-01-01 00:00:00' + INTERVAL seq * 47 MINUTE
FROM seq_1_to_100000;

INSERT INTO crm_tenancies SELECT seq, 1 + seq % 100000, 1 + seq % 60000, DATE '2005-01-01' + INTERVAL seq % 6500 DAY,
	IF(seq % 5 = 0, DATE '2005-01-01' + INTERVAL seq % 6500 + 700 DAY, NULL),
	ELT(1 + seq % 4, 'Assured','Starter','Secure','Shared ownership'), 80 + seq % 120, ELT(1 + seq % 4, 'current','current','current','ended')
FROM seq_1_to_120000;

INSERT INTO crm_household_members SELECT seq, 1 + seq % 120000, CONCAT(b_first(seq + 5), ' ', b_last(seq DIV 2)),
	DATE '1940-01-01' + INTERVAL ((seq + 3) * 7919) % 25000 DAY, ELT(1 + seq % 6, 'partner','son','daughter','parent','lodger','carer'), seq % 3 = 0
FROM seq_1_to_200000;

INSERT INTO crm_contacts SELECT seq, 1 + seq % 100000, ELT(1 + seq % 5, 'next of kin','advocate','social worker','GP','solicitor'),
	CONCAT(b_first(seq + 9), ' ', b_last(seq + 4)), b_phone(seq + 1), b_email(seq + 17),
	ELT(1 + seq % 4, 'Call after 5pm','Has lasting power of attorney','Prefers text','Speaks for tenant at meetings')
FROM seq_1_to_150000;

INSERT INTO crm_addresses SELECT seq, 1 + seq % 100000, CONCAT(seq % 150 + 1, ' ', ELT(1 + seq % 5, 'High Street','Manor Road','New Road','Chapel Street','The Crescent')),
	IF(seq % 4 = 0, CONCAT('Flat ', seq % 20 + 1), NULL),
	ELT(1 + seq % 8, 'Leeds','Manchester','Birmingham','Sheffield','Bradford','Hull','Derby','Leicester'), b_postcode(seq + 5),
	ELT(1 + seq % 3, 'previous','correspondence','forwarding'), DATE '2000-01-01' + INTERVAL seq % 8000 DAY
FROM seq_1_to_150000;

INSERT INTO crm_support_needs SELECT seq, 1 + seq * 2 % 100000, ELT(1 + seq % 5, 'health','mobility','mental health','substance misuse','learning disability'),
	ELT(1 + seq % 8, 'Diagnosed with type 2 diabetes; needs ground floor property.','Has epilepsy and lives alone - check in weekly.',
		'Long-term depression and anxiety; CPN visits fortnightly.','Wheelchair user after a stroke in 2019.',
		'Recovering from alcohol dependency; engaged with support worker.','Registered blind; correspondence in large print.',
		'Schizophrenia - medication managed by community mental health team.','Pregnant; due date in spring. Needs adaptation assessment.'),
	b_email(seq + 300), DATE '2015-01-01' + INTERVAL seq % 3000 DAY
FROM seq_1_to_50000;

INSERT INTO crm_asb_cases SELECT seq, 1 + seq * 3 % 100000, CONCAT(b_first(seq + 21), ' ', b_last(seq + 8)),
	ELT(1 + seq % 6, 'noise','harassment','criminal damage','drug dealing','domestic abuse','threats'),
	ELT(1 + seq % 5, 'Neighbour reports shouting and threats; tenant was arrested and cautioned for assault.',
		'Police attended after criminal damage to the communal door. Tenant charged.','Suspected drug dealing from the flat; police warrant executed.',
		'Tenant convicted of harassment at magistrates court; injunction sought.','Repeated noise complaints at night; warning letter issued.'),
	IF(seq % 3 = 0, CONCAT('WY/', 10000 + seq, '/24'), NULL), DATE '2019-01-01' + INTERVAL seq % 1800 DAY,
	IF(seq % 2 = 0, DATE '2019-06-01' + INTERVAL seq % 1800 DAY, NULL)
FROM seq_1_to_20000;

INSERT INTO crm_safeguarding_referrals SELECT seq, 1 + seq * 7 % 100000, ELT(1 + seq % 5, 'Adult social care','Childrens services','Police','MARAC','GP'),
	ELT(1 + seq % 4, 'Signs of self-neglect and hoarding; tenant has dementia.','Child at risk: domestic abuse disclosed by mother.',
		'Financial abuse suspected by a family member.','Tenant disclosed suicidal thoughts to the neighbourhood officer.'),
	ELT(1 + seq % 3, 'low','medium','high'), DATE '2020-01-01' + INTERVAL seq % 1500 DAY
FROM seq_1_to_10000;

INSERT INTO crm_complaints SELECT seq, 1 + seq * 11 % 100000, ELT(1 + seq % 4, 'phone','email','web','letter'),
	ELT(1 + seq % 4, 'Damp and mould not fixed after three visits.','Staff member was rude on the phone.','Repair appointment missed twice.',
		'Service charge increase not explained.'), 1 + seq % 2, DATE '2021-01-01' + INTERVAL seq % 1200 DAY, seq % 40 = 0
FROM seq_1_to_30000;

INSERT INTO crm_equality_monitoring SELECT seq,
	ELT(1 + seq % 11, 'White British','White Irish','Black Caribbean','Black African','Indian','Pakistani','Bangladeshi','Chinese','Mixed White and Asian','Gypsy or Irish Traveller','Prefer not to say'),
	ELT(1 + (seq DIV 3) % 8, 'Christian','Muslim','Hindu','Sikh','Jewish','Buddhist','No religion','Prefer not to say'),
	ELT(1 + (seq DIV 5) % 4, 'Heterosexual','Gay or lesbian','Bisexual','Prefer not to say'),
	ELT(1 + (seq DIV 7) % 3, 'Same as sex registered at birth','Different from sex registered at birth','Prefer not to say'),
	ELT(1 + (seq DIV 2) % 5, 'No','Yes - physical','Yes - mental health','Yes - learning','Prefer not to say'),
	ELT(1 + (seq DIV 11) % 6, 'English','Polish','Urdu','Punjabi','Somali','Arabic'), DATE '2018-01-01' + INTERVAL seq % 2000 DAY
FROM seq_1_to_80000;

INSERT INTO finance_rent_accounts SELECT seq, seq, CONCAT('RA', LPAD(seq, 8, '0')), LPAD(200000 + seq % 99999, 6, '0'), LPAD(10000000 + seq * 7 % 89999999, 8, '0'),
	ELT(1 + seq % 5, 'direct debit','standing order','housing benefit','universal credit','cash'), seq % 2000 - 500.25,
	ELT(1 + seq % 5, 'none','none','reminder','NOSP served','court')
FROM seq_1_to_120000;

INSERT INTO finance_direct_debits SELECT seq, seq, CONCAT(b_first(seq), ' ', b_last(seq)), LPAD(300000 + seq % 99999, 6, '0'),
	LPAD(20000000 + seq * 13 % 79999999, 8, '0'), 1 + seq % 28, ELT(1 + seq % 2, 'active','cancelled')
FROM seq_1_to_100000;

INSERT INTO finance_benefit_claims SELECT seq, 1 + seq * 3 % 100000, ELT(1 + seq % 4, 'Universal Credit','Housing Benefit','PIP','ESA'), b_nino(seq * 3),
	50 + seq % 200, ELT(1 + seq % 3, 'Awaiting DWP decision','Claim suspended pending review','Backdated award')
FROM seq_1_to_60000;

INSERT INTO repairs_operatives SELECT seq, CONCAT(b_first(seq + 50), ' ', b_last(seq + 50)), ELT(1 + seq % 5, 'plumber','electrician','joiner','plasterer','gas engineer'),
	b_phone(seq + 500), CONCAT('YX', 10 + seq % 60, ' ', ELT(1 + seq % 5, 'ABC','DEF','GHJ','KLM','NPR'))
FROM seq_1_to_500;

INSERT INTO hr_staff SELECT seq, b_first(seq + 1000), b_last(seq + 1000), DATE '1940-01-01' + INTERVAL ((seq + 1000) * 7919) % 25000 DAY,
	b_nino(seq + 1000), b_email(seq + 1000), b_phone(seq + 1000),
	ELT(1 + seq % 5, 'Housing Officer','Income Officer','Repairs Planner','Support Worker','Team Leader'), 22000 + seq % 30000,
	DATE '2008-01-01' + INTERVAL seq % 5000 DAY, b_postcode(seq + 1000)
FROM seq_1_to_3000;

INSERT INTO hr_payroll SELECT seq, 1 + seq % 3000, DATE '2021-01-31' + INTERVAL (seq DIV 3000) * 30 DAY, 1800 + seq % 1500, ELT(1 + seq % 4, '1257L','BR','0T','D0'),
	b_nino(1 + seq % 3000 + 1000), LPAD(400000 + seq % 3000, 6, '0'), LPAD(30000000 + seq % 3000, 8, '0'), 1500 + seq % 1200
FROM seq_1_to_108000;

INSERT INTO hr_sickness_absence SELECT seq, 1 + seq % 3000, DATE '2022-01-01' + INTERVAL seq % 900 DAY, DATE '2022-01-05' + INTERVAL seq % 900 DAY,
	ELT(1 + seq % 7, 'Back pain','Stress at work','Surgery recovery','Covid-19','Migraine','Depression','Pregnancy-related illness'), seq % 2 = 0
FROM seq_1_to_12000;

INSERT INTO hr_dbs_checks SELECT seq, seq, ELT(1 + seq % 3, 'basic','standard','enhanced'), LPAD(1000000000 + seq * 7, 12, '0'),
	DATE '2020-01-01' + INTERVAL seq % 1200 DAY, ELT(1 + seq % 4, 'clear','clear','clear','information disclosed'),
	IF(seq % 4 = 3, ELT(1 + seq % 3, 'Caution for possession of cannabis (2009).','Conviction for drink driving; 12 month ban (2014).',
		'Spent conviction for theft disclosed under enhanced check.'), NULL)
FROM seq_1_to_3000;

INSERT INTO audit_login_events SELECT seq, LOWER(CONCAT(b_first(seq % 3000 + 1000), '.', b_last(seq % 3000 + 1000))),
	CONCAT('10.', seq % 250, '.', (seq DIV 250) % 250, '.', seq % 7),
	ELT(1 + seq % 3, 'Mozilla/5.0 (Windows NT 10.0)','Mozilla/5.0 (Macintosh)','Mozilla/5.0 (iPhone)'), seq % 20 <> 0,
	TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq * 2 MINUTE
FROM seq_1_to_200000;
COMMIT;
