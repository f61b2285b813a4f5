ALTER TABLE clients RENAME COLUMN tmp TO sexual_orientation;
RENAME TABLE clients TO service_users;
