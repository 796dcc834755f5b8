#!/usr/bin/env bash
# The test command: provisions MariaDB, Redis, a Redis Cluster and nginx on a Debian machine when they are missing,
# creates the test database, then runs the whole workspace suite (unit, property, contract and
# end-to-end tests) against the embedded default and against MariaDB + Redis.
set -euo pipefail
cd "$(dirname "$0")/.."

MYSQL_DB=locus_test
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

apt_install() {
  if [ -z "${APT_UPDATED:-}" ]; then $SUDO apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

wait_for() { # wait_for <what> <command...>
  local what=$1; shift
  for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "error: $what did not come up" >&2; return 1
}

# --- MariaDB -------------------------------------------------------------------------------
if ! command -v mariadbd >/dev/null 2>&1 && ! [ -x /usr/sbin/mariadbd ]; then
  echo "installing mariadb-server"; apt_install mariadb-server mariadb-client
fi
if ! mysqladmin --protocol=tcp -h127.0.0.1 -uroot ping >/dev/null 2>&1 && ! mysqladmin -uroot ping >/dev/null 2>&1; then
  echo "starting mariadb"
  $SUDO mkdir -p /run/mysqld && $SUDO chown mysql:mysql /run/mysqld 2>/dev/null || true
  $SUDO start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  wait_for "mariadb" mysqladmin -uroot ping
fi
# Tests connect over TCP as root with an empty password (as on the dev machines); make it so
# on a fresh install too, where root authenticates by unix socket only.
if ! mysql --protocol=tcp -h127.0.0.1 -uroot -e "SELECT 1" >/dev/null 2>&1; then
  $SUDO mysql -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; FLUSH PRIVILEGES;"
fi
mysql --protocol=tcp -h127.0.0.1 -uroot -e "CREATE DATABASE IF NOT EXISTS ${MYSQL_DB} CHARACTER SET utf8mb4"
# Drop databases left behind by earlier runs' tests.
for db in $(mysql --protocol=tcp -h127.0.0.1 -uroot -N -e "SHOW DATABASES LIKE 'locus\_test\_%'"); do
  mysql --protocol=tcp -h127.0.0.1 -uroot -e "DROP DATABASE \`$db\`" || true
done

# --- Redis ---------------------------------------------------------------------------------
if ! command -v redis-server >/dev/null 2>&1; then
  echo "installing redis-server"; apt_install redis-server redis-tools
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "starting redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  wait_for "redis" redis-cli -h 127.0.0.1 -p 6379 ping
fi

# --- nginx (the tile edge test runs its own nginx; the system service is never started) -------
if ! command -v nginx >/dev/null 2>&1 && ! [ -x /usr/sbin/nginx ]; then
  echo "installing nginx-light"
  # A policy-rc.d that says no keeps the package from starting the system nginx on port 80.
  made_policy=""
  if ! [ -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  # nginx-light where the release still has it, else nginx itself.
  nginx_status=0
  apt_install nginx-light || apt_install nginx || nginx_status=$?
  [ -z "$made_policy" ] || $SUDO rm -f /usr/sbin/policy-rc.d
  [ "$nginx_status" -eq 0 ] || { echo "error: installing nginx failed" >&2; exit 1; }
fi

# --- Redis Cluster (sharded pub/sub; three masters on 7101-7103) ------------------------------
scripts/redis-cluster.sh start 7101

export LOCUS_TEST_MYSQL_URL="mysql://root@127.0.0.1:3306/${MYSQL_DB}"
export LOCUS_TEST_REDIS_URL="redis://127.0.0.1:6379"
export LOCUS_TEST_REDIS_CLUSTER="127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103"

# --- The suite -----------------------------------------------------------------------------
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast "$@"
else
  cargo test --workspace --no-fail-fast "$@"
fi
