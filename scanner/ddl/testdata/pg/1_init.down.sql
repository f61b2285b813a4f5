ALTER TABLE tenants ADD COLUMN down_only text;
DROP TABLE tenants;
