-- Initial schema. ALTER TABLE tenants ADD COLUMN nhs_number text;
CREATE TABLE tenants (
    id serial PRIMARY KEY,
    "Full Name" text NOT NULL,
    c1 date,
    email varchar(255),
    status public.tenant_status
);
/* CREATE TABLE secrets (criminal_record text); */
CREATE TABLE legacy (id int);
CREATE TABLE old_name (ref int);
