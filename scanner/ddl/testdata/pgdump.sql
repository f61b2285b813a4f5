--
-- PostgreSQL database dump
--

\restrict abc123

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;

CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;
COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';

CREATE TYPE public.tenancy_status AS ENUM (
    'active',
    'ended'
);
ALTER TYPE public.tenancy_status OWNER TO housing;

CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

SET default_table_access_method = heap;

CREATE TABLE public.residents (
    id integer NOT NULL,
    forename text COLLATE pg_catalog."default" NOT NULL,
    email public.citext,
    ni_number character varying(9),
    status public.tenancy_status DEFAULT 'active'::public.tenancy_status NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE public.residents OWNER TO housing;

COMMENT ON COLUMN public.residents.ni_number IS 'National Insurance number';

CREATE TABLE public.repairs (
    id integer GENERATED ALWAYS AS IDENTITY,
    resident_id integer NOT NULL,
    notes text
);

ALTER TABLE public.repairs ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.repairs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE SEQUENCE public.residents_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.residents_id_seq OWNED BY public.residents.id;
ALTER TABLE ONLY public.residents ALTER COLUMN id SET DEFAULT nextval('public.residents_id_seq'::regclass);
ALTER TABLE ONLY public.residents
    ADD CONSTRAINT residents_pkey PRIMARY KEY (id);
CREATE INDEX repairs_resident ON public.repairs USING btree (resident_id);
CREATE TRIGGER residents_touch BEFORE UPDATE ON public.residents FOR EACH ROW EXECUTE FUNCTION public.touch();

--
-- PostgreSQL database dump complete
--

\unrestrict abc123
