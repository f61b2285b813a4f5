-- Views, a materialised view, statistics, and the marker that lets the next run reuse the database.
\set ON_ERROR_STOP on
CREATE VIEW crm.v_tenant_contacts AS
	SELECT t.tenant_id, t.first_name, t.last_name, t.email, t.mobile, p.postcode
	FROM crm.tenants t JOIN crm.tenancies y ON y.tenant_id = t.tenant_id JOIN crm.properties p ON p.property_id = y.property_id;
CREATE VIEW finance.v_arrears AS
	SELECT a.account_id, a.payment_ref, a.balance, a.arrears_stage FROM finance.rent_accounts a WHERE a.balance > 0;
CREATE VIEW repairs.v_open_jobs AS
	SELECT job_id, property_id, priority, description, access_notes FROM repairs.repairs_jobs WHERE completed IS NULL;
CREATE VIEW hr.v_staff_directory AS SELECT staff_id, first_name, last_name, email, mobile, job_title FROM hr.staff;
CREATE MATERIALIZED VIEW finance.mv_arrears_by_town AS
	SELECT p.town, count(*) AS accounts, sum(a.balance) AS balance
	FROM finance.rent_accounts a JOIN crm.tenancies y ON y.tenancy_id = a.tenancy_id JOIN crm.properties p ON p.property_id = y.property_id
	GROUP BY p.town;
ANALYZE;
INSERT INTO audit.schema_migrations
SELECT 'bench-crm-v1', now(), count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname IN ('crm', 'hr', 'finance', 'repairs', 'audit') AND c.relkind IN ('r', 'p', 'v', 'm');
