-- Housing association CRM for scripts/bench-crm (MariaDB/MySQL). One database; the PostgreSQL schemas become
-- table-name prefixes (crm_, hr_, finance_, repairs_, audit_), as many MySQL-based CRMs do. Synthetic data
-- only: names from fixed pools, emails at example.org, phones in Ofcom's drama range (07700 900xxx), NHS
-- numbers and NINOs built to pass their checks but generated from row numbers.
SET SESSION sql_mode = 'STRICT_ALL_TABLES';

DELIMITER //
CREATE FUNCTION b_first(i BIGINT) RETURNS VARCHAR(20) DETERMINISTIC NO SQL
RETURN ELT(1 + (i * 7 + i DIV 40) % 40, 'Olivia','Amelia','Isla','Ava','Mia','Grace','Sophia','Lily','Freya','Ivy','Oliver','George','Noah','Arthur','Leo','Harry','Oscar','Archie','Henry','Jack','Mohammed','Aisha','Priya','Tomasz','Zofia','Kwame','Chloe','Ethan','Ruby','Daniel','Megan','Rhys','Siobhan','Callum','Niamh','Fatima','Yusuf','Ellie','Jacob','Poppy')//
CREATE FUNCTION b_last(i BIGINT) RETURNS VARCHAR(20) DETERMINISTIC NO SQL
RETURN ELT(1 + (i * 13 + i DIV 37) % 40, 'Smith','Jones','Taylor','Brown','Williams','Wilson','Johnson','Davies','Robinson','Wright','Thompson','Evans','Walker','White','Roberts','Green','Hall','Wood','Jackson','Clarke','Patel','Khan','Ahmed','Begum','Kowalski','Nowak','Okafor','Mensah','Hughes','Edwards','Murphy','Kelly','Lewis','Harris','Martin','Cooper','Ward','Morris','Moore','Clark')//
CREATE FUNCTION b_phone(i BIGINT) RETURNS VARCHAR(20) DETERMINISTIC NO SQL
RETURN CONCAT('07700 900', LPAD(i % 1000, 3, '0'))//
CREATE FUNCTION b_email(i BIGINT) RETURNS VARCHAR(80) DETERMINISTIC NO SQL
RETURN LOWER(CONCAT(b_first(i), '.', b_last(i), i % 1000, '@example.org'))//
CREATE FUNCTION b_postcode(i BIGINT) RETURNS VARCHAR(10) DETERMINISTIC NO SQL
RETURN CONCAT(ELT(1 + i % 15, 'LS6','M14','B29','S10','NE6','BS5','CF24','L15','NG7','SE15','E17','N19','LE3','HU5','SR4'), ' ', i % 9 + 1,
	SUBSTR('ABDEFGHJLNPQRSTUWXYZ', 1 + (i DIV 3) % 20, 1), SUBSTR('ABDEFGHJLNPQRSTUWXYZ', 1 + (i DIV 7) % 20, 1))//
CREATE FUNCTION b_nino(i BIGINT) RETURNS VARCHAR(9) DETERMINISTIC NO SQL
RETURN CONCAT(ELT(1 + i % 15, 'AB','CE','EH','JG','KL','MA','NP','PR','SW','TW','WK','YH','HT','LE','OB'), LPAD((i * 48271) % 1000000, 6, '0'),
	ELT(1 + (i DIV 15) % 4, 'A','B','C','D'))//
-- A ten-digit NHS number whose mod 11 check digit is right: the base whose check would be 10 moves on by one.
CREATE FUNCTION b_nhs(i BIGINT) RETURNS VARCHAR(12) DETERMINISTIC NO SQL
BEGIN
	DECLARE b BIGINT DEFAULT 400000000 + (i * 7919) % 99999999;
	DECLARE s INT; DECLARE c INT; DECLARE k INT;
	LOOP
		SET s = 0, k = 1;
		WHILE k <= 9 DO
			SET s = s + (b DIV POW(10, 9 - k)) % 10 * (11 - k);
			SET k = k + 1;
		END WHILE;
		SET c = 11 - s % 11;
		IF c = 11 THEN SET c = 0; END IF;
		IF c <> 10 THEN
			RETURN CONCAT(SUBSTR(b, 1, 3), ' ', SUBSTR(b, 4, 3), ' ', SUBSTR(b, 7, 3), c);
		END IF;
		SET b = b + 1;
	END LOOP;
END//
DELIMITER ;

CREATE TABLE crm_properties (property_id INT PRIMARY KEY, uprn BIGINT, address_line1 VARCHAR(100), town VARCHAR(40), postcode VARCHAR(10),
	property_type VARCHAR(20), bedrooms INT, built_year INT, scheme_name VARCHAR(40));
CREATE TABLE crm_tenants (tenant_id INT PRIMARY KEY, title VARCHAR(5), first_name VARCHAR(40), last_name VARCHAR(40), date_of_birth DATE,
	ni_ref VARCHAR(12) COMMENT 'National Insurance number as given at sign-up', email VARCHAR(100), mobile VARCHAR(20),
	preferred_contact VARCHAR(10), profile JSON COMMENT 'Extra details captured by the lettings team', created_at DATETIME);
CREATE TABLE crm_tenancies (tenancy_id INT PRIMARY KEY, tenant_id INT, property_id INT, start_date DATE, end_date DATE,
	tenancy_type VARCHAR(20), weekly_rent DECIMAL(8,2), status VARCHAR(10));
CREATE TABLE crm_household_members (member_id INT PRIMARY KEY, tenancy_id INT, full_name VARCHAR(80), date_of_birth DATE,
	relationship VARCHAR(20), dependant BOOLEAN);
CREATE TABLE crm_contacts (contact_id INT PRIMARY KEY, tenant_id INT, contact_type VARCHAR(20), name VARCHAR(80), phone VARCHAR(20),
	email VARCHAR(100), notes VARCHAR(200));
CREATE TABLE crm_addresses (address_id INT PRIMARY KEY, tenant_id INT, line1 VARCHAR(100), line2 VARCHAR(100), town VARCHAR(40),
	postcode VARCHAR(10), address_type VARCHAR(20), valid_from DATE);
CREATE TABLE crm_support_needs (need_id INT PRIMARY KEY, tenant_id INT, category VARCHAR(30),
	details TEXT COMMENT 'Health conditions, disabilities and support the tenant needs', recorded_by VARCHAR(100), recorded_at DATE);
CREATE TABLE crm_asb_cases (case_id INT PRIMARY KEY, perpetrator_tenant_id INT, reported_by VARCHAR(80), incident_type VARCHAR(30),
	description TEXT, police_ref VARCHAR(20), opened DATE, closed DATE);
CREATE TABLE crm_safeguarding_referrals (referral_id INT PRIMARY KEY, tenant_id INT, referred_to VARCHAR(40), concern TEXT,
	risk_level VARCHAR(10), referred_on DATE);
CREATE TABLE crm_complaints (complaint_id INT PRIMARY KEY, tenant_id INT, channel VARCHAR(10), summary TEXT, stage INT, received DATE,
	ombudsman BOOLEAN);
CREATE TABLE crm_case_notes (note_id BIGINT PRIMARY KEY, tenant_id INT, author VARCHAR(30), note_type VARCHAR(10), note TEXT,
	created_at DATETIME);
CREATE TABLE crm_equality_monitoring (tenant_id INT PRIMARY KEY, ethnicity VARCHAR(40), religion VARCHAR(30), sexual_orientation VARCHAR(30),
	gender_identity VARCHAR(50), disability VARCHAR(30), first_language VARCHAR(20), answered_on DATE);
CREATE TABLE finance_rent_accounts (account_id INT PRIMARY KEY, tenancy_id INT, payment_ref VARCHAR(12), sort_code VARCHAR(8),
	bank_account VARCHAR(10) COMMENT 'Direct debit account number', payment_method VARCHAR(20), balance DECIMAL(10,2), arrears_stage VARCHAR(20));
CREATE TABLE finance_transactions (txn_id BIGINT PRIMARY KEY, account_id INT, txn_date DATE, amount DECIMAL(10,2), txn_type VARCHAR(20),
	reference VARCHAR(14), description VARCHAR(40));
CREATE TABLE finance_direct_debits (mandate_id INT PRIMARY KEY, account_id INT, account_holder VARCHAR(80), sort_code VARCHAR(8),
	account_number VARCHAR(10), collection_day INT, status VARCHAR(10));
CREATE TABLE finance_benefit_claims (claim_id INT PRIMARY KEY, tenant_id INT, benefit VARCHAR(20), ni_number VARCHAR(12),
	award_weekly DECIMAL(8,2), notes VARCHAR(100));
CREATE TABLE repairs_operatives (operative_id INT PRIMARY KEY, name VARCHAR(80), trade VARCHAR(20), mobile VARCHAR(20), van_reg VARCHAR(10));
CREATE TABLE repairs_jobs (job_id BIGINT PRIMARY KEY, property_id INT, reported_by_tenant INT, operative_id INT, priority VARCHAR(10),
	trade VARCHAR(12), description VARCHAR(80), access_notes VARCHAR(100), raised DATE, completed DATE, cost DECIMAL(8,2));
CREATE TABLE hr_staff (staff_id INT PRIMARY KEY, first_name VARCHAR(40), last_name VARCHAR(40), date_of_birth DATE, ni_no VARCHAR(12),
	email VARCHAR(100), mobile VARCHAR(20), job_title VARCHAR(40), salary DECIMAL(9,2), start_date DATE, home_postcode VARCHAR(10));
CREATE TABLE hr_payroll (payroll_id INT PRIMARY KEY, staff_id INT, period DATE, gross DECIMAL(9,2), tax_code VARCHAR(6),
	ref2 VARCHAR(12) COMMENT 'NI no.', sort_code VARCHAR(8), account_number VARCHAR(10), net DECIMAL(9,2));
CREATE TABLE hr_sickness_absence (absence_id INT PRIMARY KEY, staff_id INT, first_day DATE, last_day DATE, reason VARCHAR(60), fit_note BOOLEAN);
CREATE TABLE hr_dbs_checks (check_id INT PRIMARY KEY, staff_id INT, level VARCHAR(10), certificate_no VARCHAR(12), issued DATE,
	outcome VARCHAR(30), disclosure_notes TEXT COMMENT 'Convictions and cautions disclosed on the DBS certificate');
CREATE TABLE audit_login_events (event_id BIGINT PRIMARY KEY, username VARCHAR(60), ip_address VARCHAR(20), user_agent VARCHAR(60),
	success BOOLEAN, at DATETIME);
-- The audit log, partitioned by month of 2024 (the partition column has to be in the primary key).
CREATE TABLE audit_log (log_id BIGINT NOT NULL, logged_at DATETIME NOT NULL, actor VARCHAR(30), action VARCHAR(10), entity VARCHAR(20),
	entity_id BIGINT, old_value JSON, detail VARCHAR(40), PRIMARY KEY (log_id, logged_at))
PARTITION BY RANGE COLUMNS (logged_at) (
	PARTITION p01 VALUES LESS THAN ('2024-02-01'), PARTITION p02 VALUES LESS THAN ('2024-03-01'),
	PARTITION p03 VALUES LESS THAN ('2024-04-01'), PARTITION p04 VALUES LESS THAN ('2024-05-01'),
	PARTITION p05 VALUES LESS THAN ('2024-06-01'), PARTITION p06 VALUES LESS THAN ('2024-07-01'),
	PARTITION p07 VALUES LESS THAN ('2024-08-01'), PARTITION p08 VALUES LESS THAN ('2024-09-01'),
	PARTITION p09 VALUES LESS THAN ('2024-10-01'), PARTITION p10 VALUES LESS THAN ('2024-11-01'),
	PARTITION p11 VALUES LESS THAN ('2024-12-01'), PARTITION p12 VALUES LESS THAN ('2025-01-01'));
CREATE TABLE audit_schema_migrations (version VARCHAR(20) PRIMARY KEY, applied_at DATETIME, tables INT);

-- About 250 small lookup, configuration and reporting tables, as every long-lived CRM grows.
DELIMITER //
CREATE PROCEDURE b_small_tables()
BEGIN
	DECLARE n INT DEFAULT 1;
	DECLARE t VARCHAR(40);
	WHILE n <= 100 DO
		SET t = CONCAT('crm_lookup_', LPAD(n, 3, '0'));
		EXECUTE IMMEDIATE CONCAT('CREATE TABLE ', t, ' (code VARCHAR(10) PRIMARY KEY, description VARCHAR(40), active BOOLEAN, sort_order INT)');
		EXECUTE IMMEDIATE CONCAT('INSERT INTO ', t, ' SELECT CONCAT(''C'', seq), CONCAT(ELT(1 + (seq + ', n, ') % 8, ''Active'',''Closed'',''Pending'',''Suspended'',''Void'',''Under review'',''Referred'',''Escalated''), '' '', seq), seq % 5 <> 0, seq FROM seq_1_to_20');
		SET n = n + 1;
	END WHILE;
	SET n = 1;
	WHILE n <= 70 DO
		SET t = CONCAT('finance_report_', LPAD(n, 3, '0'));
		EXECUTE IMMEDIATE CONCAT('CREATE TABLE ', t, ' (id INT PRIMARY KEY, period DATE, region VARCHAR(10), tenancies INT, arrears DECIMAL(12,2), collected DECIMAL(12,2), collection_rate DECIMAL(5,2))');
		EXECUTE IMMEDIATE CONCAT('INSERT INTO ', t, ' SELECT seq, DATE ''2020-01-01'' + INTERVAL seq * 30 DAY, ELT(1 + seq % 5, ''North'',''South'',''East'',''West'',''Central''), 1000 + seq * ', n, ', seq * 1234.5, seq * 23456.7, 90 + seq % 9 FROM seq_1_to_60');
		SET n = n + 1;
	END WHILE;
	SET n = 1;
	WHILE n <= 45 DO
		SET t = CONCAT('repairs_config_', LPAD(n, 3, '0'));
		EXECUTE IMMEDIATE CONCAT('CREATE TABLE ', t, ' (setting VARCHAR(20) PRIMARY KEY, value VARCHAR(20), updated_by VARCHAR(100), updated_at DATETIME)');
		EXECUTE IMMEDIATE CONCAT('INSERT INTO ', t, ' SELECT CONCAT(''setting_'', seq), seq * ', n, ', b_email(seq + ', n * 100, '), TIMESTAMP ''2023-01-01 00:00:00'' + INTERVAL seq DAY FROM seq_1_to_12');
		SET n = n + 1;
	END WHILE;
	SET n = 1;
	WHILE n <= 35 DO
		SET t = CONCAT('hr_ref_', LPAD(n, 3, '0'));
		EXECUTE IMMEDIATE CONCAT('CREATE TABLE ', t, ' (code VARCHAR(10) PRIMARY KEY, description VARCHAR(40), valid_from DATE)');
		EXECUTE IMMEDIATE CONCAT('INSERT INTO ', t, ' SELECT CONCAT(''R'', seq), CONCAT(ELT(1 + seq % 6, ''Grade'',''Band'',''Location'',''Team'',''Cost centre'',''Contract''), '' '', seq), DATE ''2019-04-01'' + INTERVAL seq DAY FROM seq_1_to_15');
		SET n = n + 1;
	END WHILE;
END//
DELIMITER ;
CALL b_small_tables();
DROP PROCEDURE b_small_tables;
