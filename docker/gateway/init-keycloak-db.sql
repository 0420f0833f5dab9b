-- Keycloak keeps its own database next to the gateway's in the compose stack.
CREATE DATABASE keycloak OWNER claimgate;
