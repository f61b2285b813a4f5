DO $$
BEGIN
  RAISE NOTICE 'a ; inside a body';
END
$$;

ALTER TABLE tenants
    RENAME COLUMN tmp TO ethnicity;
COMMENT ON COLUMN tenants.ethnicity IS 'Ethnic origin; self-declared';
DROP TABLE legacy;
CREATE INDEX tenants_dob ON tenants (date_of_birth);
