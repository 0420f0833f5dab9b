# Keycloak with the Claimgate mapper and the demo realm. Build from the repository root after ./mvnw package:
#   docker build -f docker/gateway/keycloak.Dockerfile -t claimgate/keycloak .
FROM quay.io/keycloak/keycloak:26.5.6 AS builder
ENV KC_HEALTH_ENABLED=true \
    KC_DB=postgres
COPY keycloak-extension/target/keycloak-extension.jar /opt/keycloak/providers/claimgate-keycloak-extension.jar
RUN /opt/keycloak/bin/kc.sh build

FROM quay.io/keycloak/keycloak:26.5.6
COPY --from=builder /opt/keycloak/ /opt/keycloak/
COPY docker/keycloak/claimgate-realm.json /opt/keycloak/data/import/claimgate-realm.json
ENTRYPOINT ["/opt/keycloak/bin/kc.sh"]
CMD ["start", "--optimized", "--import-realm"]
