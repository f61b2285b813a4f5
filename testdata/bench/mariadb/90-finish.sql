-- Views, statistics, and the marker that lets the next run reuse the database.
CREATE VIEW crm_v_tenant_contacts AS
	SELECT t.tenant_id, t.first_name, t.last_name, t.email, t.mobile, p.postcode
	FROM crm_tenants t JOIN crm_tenancies y ON y.tenant_id = t.tenant_id JOIN crm_properties p ON p.property_id = y.property_id;
CREATE VIEW finance_v_arrears AS
	SELECT account_id, payment_ref, balance, arrears_stage FROM finance_rent_accounts WHERE balance > 0;
CREATE VIEW repairs_v_open_jobs AS
	SELECT job_id, property_id, priority, description, access_notes FROM repairs_jobs WHERE completed IS NULL;
CREATE VIEW hr_v_staff_directory AS SELECT staff_id, first_name, last_name, email, mobile, job_title FROM hr_staff;
ANALYZE TABLE crm_tenants, crm_case_notes, finance_transactions, repairs_jobs, audit_log, crm_contacts, crm_addresses,
	crm_household_members, finance_rent_accounts, hr_payroll, audit_login_events;
INSERT INTO audit_schema_migrations
SELECT 'bench-crm-v1', NOW(), COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE();
