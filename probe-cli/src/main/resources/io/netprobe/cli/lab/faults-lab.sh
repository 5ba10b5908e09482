#!/usr/bin/env bash
# The fault lab: a small company network, unlike the demo lab, whose faults can be switched on
# and off one by one to see what netprobe says about each. `netprobe lab up faults` builds it
# healthy (every check of matrices/labs/faults.yaml passes); `netprobe lab break faults FAULT...`
# and `netprobe lab restore faults FAULT...` switch faults (`all` for every one); `faults` lists
# them. Everything is named np-f-*; it has no link to the root namespace at all, and the root
# namespace makes 10.60.0.0/16 `unreachable` while it is up.
#
#   LAN 10.60.1.0/24 (bridge flan)     DMZ 10.60.2.0/24 (bridge fdmz)    APP 10.60.3.0/24 (fapp)
#   cl .10  cl2 .11  cl3 .12  iso .13   web .10 (tcp 8080, udp 5353 echo,  app .10 (tcp 9000-9005,
#   ghost .99                            udp 5354 echo)                         9100, 9101)
#        \                              relay .20 (socat 8081 -> app:9000)  db .20
#         '------------- firewall/router np-f-fw .1 on each ---------------  rt .2
#                        DNAT 10.60.1.1:2222 -> app:9100, :2224 -> app:9101     |
#                                                               LABNET 10.60.4.0/24 (flab)
#                                                               rt .1, lab .10, lab2 .20, lab3 .30
#                                                               OPS 10.60.5.0/24 (fops): rt .1,
#                                                               ops .10
set -euo pipefail

STATE=/run/np-faults
NS=(np-f-sw np-f-fw np-f-rt np-f-cl np-f-cl2 np-f-cl3 np-f-iso np-f-ghost np-f-web np-f-relay
  np-f-app np-f-db np-f-lab np-f-lab2 np-f-lab3 np-f-ops)
RANGE=10.60.0.0/16
APP_PORTS=(9000 9001 9002 9003 9004 9005 9100 9101)

log() { echo "faults: $*" >&2; }
nsx() { ip netns exec "$@"; }
ipt() { local ns=$1; shift; nsx "$ns" iptables -w "$@"; }

mkns() { # NAME [forward]
  ip netns add "$1"
  ip -n "$1" link set lo up
  nsx "$1" sysctl -qw net.ipv4.ping_group_range="0 2147483647" net.ipv4.icmp_ratelimit=0 \
    net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0 \
    net.ipv4.ip_forward="$([[ ${2:-} == forward ]] && echo 1 || echo 0)"
}

leg() { # BRIDGE NS IF ADDR: a host's interface on a bridge of np-f-sw
  local br=$1 ns=$2 if=$3 port="${2#np-f-}-${1}"
  port=${port:0:15}
  ip -n "$ns" link add "$if" type veth peer name "$port" netns np-f-sw
  ip -n np-f-sw link set "$port" master "$br" up
  ip -n "$ns" addr add "$4" dev "$if"
  ip -n "$ns" link set "$if" up
}

daemon() { # NAME NS CMD...: a service, detached; $STATE/NAME says where and what it is
  local name=$1 ns=$2; shift 2
  printf '%s\n%s\n' "$ns" "$*" >"$STATE/$name.svc"
  nsx "$ns" setsid "$@" </dev/null >>"$STATE/$ns.log" 2>&1 &
}
stop() { # NAME: every process of its namespace running its command line (socat's children too)
  local ns cmd pid
  { read -r ns; read -r cmd; } <"$STATE/$1.svc" 2>/dev/null || return 0
  for pid in $(ip netns pids "$ns" 2>/dev/null); do
    [[ $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) == "$cmd " ]] && kill "$pid" 2>/dev/null
  done
  rm -f "$STATE/$1.svc"
  sleep 0.1
}

# app's OpenSSH: sshd on 22 and 2200 (each its own host key), user `lab` known only inside
# np-f-app (/etc/netns/np-f-app/passwd and shadow, which `ip netns exec` bind-mounts), its
# password in $STATE/password, the host keys in $STATE/known_hosts.
LAB_UID=4243
app_users() { # the shadow entry for the password in FILE
  local etc=/etc/netns/np-f-app hash
  hash=$(openssl passwd -6 -stdin <"$1")
  { grep -E '^(root|sshd|nobody):' /etc/passwd
    echo "lab:x:$LAB_UID:$LAB_UID:lab user:$STATE/home:/bin/sh"; } >"$etc/passwd"
  { echo 'root:*:19000:0:99999:7:::'
    echo "lab:$hash:19000:0:99999:7:::"; } >"$etc/shadow"
  chmod 640 "$etc/shadow"
  { grep -E '^(root|nogroup):' /etc/group; echo "lab:x:$LAB_UID:"; } >"$etc/group"
}
app_sshd() { # PORT
  local dir=$STATE/sshd-$1
  nsx np-f-app /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"
}
app_sshd_stop() { # PORT
  local pid
  pid=$(cat "$STATE/sshd-$1/sshd.pid" 2>/dev/null || true)
  if [[ $pid =~ ^[0-9]+$ ]]; then kill "$pid" 2>/dev/null || true; fi
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    [[ -n $pid && -e /proc/$pid ]] || break
    sleep 0.05
  done
}
ssh_setup() {
  mkdir -p /etc/netns/np-f-app "$STATE/home" /run/sshd
  chown "$LAB_UID:$LAB_UID" "$STATE/home"
  openssl rand -hex 12 >"$STATE/password"
  chmod 600 "$STATE/password"
  app_users "$STATE/password"
  : >"$STATE/known_hosts"
  local port dir key
  for port in 22 2200; do
    dir=$STATE/sshd-$port
    mkdir -p "$dir"
    ssh-keygen -q -t ed25519 -N '' -C "np-f-app:$port" -f "$dir/ssh_host_ed25519_key"
    cat >"$dir/sshd_config" <<CFG
Port $port
HostKey $dir/ssh_host_ed25519_key
PidFile $dir/sshd.pid
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication no
StrictModes no
PermitRootLogin no
AllowUsers lab
UseDNS no
PrintMotd no
MaxStartups 100:30:200
CFG
    app_sshd "$port"
    key=$(cut -d' ' -f1,2 "$dir/ssh_host_ed25519_key.pub")
    if [[ $port == 22 ]]; then
      echo "10.60.3.10 $key" >>"$STATE/known_hosts"
      echo "[10.60.1.1]:2226 $key" >>"$STATE/known_hosts"
    else
      echo "[10.60.3.10]:2200 $key" >>"$STATE/known_hosts"
    fi
  done
}

http() { daemon "app-$2" np-f-app busybox httpd -f -p "$1:$2" -h "$STATE/www"; }
udp_echo() { # NAME PORT DELAY
  daemon "$1" np-f-web socat -T 5 -t 3 "UDP4-RECVFROM:$2,fork,reuseaddr" \
    "SYSTEM:dd bs=65536 count=1 2>/dev/null >/dev/null; sleep $3; echo pong"
}

build() {
  mkdir -p "$STATE/www"
  echo ok >"$STATE/www/index.html"
  for ns in "${NS[@]}"; do
    case $ns in np-f-fw | np-f-rt) mkns "$ns" forward ;; *) mkns "$ns" ;; esac
  done
  for br in flan fdmz fapp flab fops; do
    ip -n np-f-sw link add "$br" type bridge
    ip -n np-f-sw link set "$br" up
  done
  leg flan np-f-fw lan 10.60.1.1/24
  leg fdmz np-f-fw dmz 10.60.2.1/24
  leg fapp np-f-fw app 10.60.3.1/24
  leg fapp np-f-rt app 10.60.3.2/24
  leg flab np-f-rt lab 10.60.4.1/24
  leg fops np-f-rt ops 10.60.5.1/24
  leg fops np-f-ops eth0 10.60.5.10/24
  ip -n np-f-ops route add default via 10.60.5.1
  local host
  for host in cl:10 cl2:11 cl3:12 iso:13 ghost:99; do
    leg flan "np-f-${host%:*}" eth0 "10.60.1.${host#*:}/24"
    ip -n "np-f-${host%:*}" route add default via 10.60.1.1
  done
  for host in web:10 relay:20; do
    leg fdmz "np-f-${host%:*}" eth0 "10.60.2.${host#*:}/24"
    ip -n "np-f-${host%:*}" route add default via 10.60.2.1
  done
  for host in app:10 db:20; do
    leg fapp "np-f-${host%:*}" eth0 "10.60.3.${host#*:}/24"
    ip -n "np-f-${host%:*}" route add default via 10.60.3.1
  done
  for host in lab:10 lab2:20 lab3:30; do
    leg flab "np-f-${host%:*}" eth0 "10.60.4.${host#*:}/24"
    ip -n "np-f-${host%:*}" route add default via 10.60.4.1
  done
  ip -n np-f-rt route add default via 10.60.3.1
  ip -n np-f-fw route add 10.60.4.0/24 via 10.60.3.2
  ip -n np-f-fw route add 10.60.5.0/24 via 10.60.3.2
  # Port forwards on the firewall's LAN address to services on app.
  ipt np-f-fw -t nat -A PREROUTING -d 10.60.1.1 -p tcp --dport 2222 \
    -j DNAT --to-destination 10.60.3.10:9100
  ipt np-f-fw -t nat -A PREROUTING -d 10.60.1.1 -p tcp --dport 2224 \
    -j DNAT --to-destination 10.60.3.10:9101
  ipt np-f-fw -t nat -A PREROUTING -d 10.60.1.1 -p tcp --dport 2226 \
    -j DNAT --to-destination 10.60.3.10:22
  # Names: cl knows the intranet's name from its hosts file only, and has no name server.
  mkdir -p /etc/netns/np-f-cl
  { echo "127.0.0.1 localhost"; echo "10.60.2.10 intranet.example"; } >/etc/netns/np-f-cl/hosts
  echo "# the fault lab has no name server" >/etc/netns/np-f-cl/resolv.conf
  ssh_setup
  local port
  for port in "${APP_PORTS[@]}"; do http 0.0.0.0 "$port"; done
  daemon web-8080 np-f-web busybox httpd -f -p 8080 -h "$STATE/www"
  udp_echo web-5353 5353 0
  udp_echo web-5354 5354 0
  daemon relay-8081 np-f-relay socat TCP4-LISTEN:8081,fork,reuseaddr TCP4:10.60.3.10:9000
  ip route add unreachable "$RANGE" 2>/dev/null || true
  sleep 0.3
}

# --- faults: each one breaks exactly one thing, and its restore puts it back --------------

FAULTS=(relay-backend-closed forward-guest-closed forward-missing dead-gateway
  dead-gateway-back host-down late-answer forward-drop input-drop reject-admin reject-reset
  no-route-at-router blackhole no-route no-route-back loopback-only service-stopped udp-closed
  output-drop answer-dropped-at-source name-missing password-changed hostkey-changed
  forward-wrong-port)

describe() {
  case $1 in
    relay-backend-closed) echo "the relay's backend app:9000 stops listening (socat still accepts)" ;;
    forward-guest-closed) echo "the port forward fw:2222 -> app:9100 works, app:9100 stops" ;;
    forward-missing) echo "the port forward fw:2224 -> app:9101 is removed" ;;
    dead-gateway) echo "cl3 routes the DMZ via 10.60.1.254, which nobody has" ;;
    dead-gateway-back) echo "db routes the LAN via 10.60.3.254, which nobody has" ;;
    host-down) echo "ghost's interface goes down, long enough that cl and cl2 forgot its MAC" ;;
    late-answer) echo "web's udp/5354 answers after 1.5 s" ;;
    forward-drop) echo "fw drops cl -> web tcp/8080 (FORWARD DROP)" ;;
    input-drop) echo "web drops ICMP from cl2 (INPUT DROP)" ;;
    reject-admin) echo "fw rejects cl3 -> app tcp/9001 (icmp-admin-prohibited)" ;;
    reject-reset) echo "fw rejects cl2 -> app tcp/9001 with a TCP reset" ;;
    no-route-at-router) echo "fw loses its route to OPS 10.60.5.0/24" ;;
    blackhole) echo "rt blackholes lab2 10.60.4.20" ;;
    no-route) echo "iso loses its default route" ;;
    no-route-back) echo "lab3 loses its default route" ;;
    loopback-only) echo "app's tcp/9002 listens on 127.0.0.1 only" ;;
    service-stopped) echo "app's tcp/9003 stops" ;;
    udp-closed) echo "web's udp/5353 responder stops" ;;
    output-drop) echo "cl3's own firewall drops its tcp/9004 (OUTPUT DROP)" ;;
    answer-dropped-at-source) echo "cl's own firewall drops answers from tcp/9005 (INPUT DROP)" ;;
    name-missing) echo "cl's hosts file loses intranet.example (and cl has no name server)" ;;
    password-changed) echo "lab's password on app changes (the matrix keeps the old one)" ;;
    hostkey-changed) echo "app's sshd on 2200 gets a new host key (app re-installed)" ;;
    forward-wrong-port) echo "the port forward fw:2226 leads to app's web service, not its sshd" ;;
    *) return 1 ;;
  esac
}

fault() { # break|restore NAME
  local b=$1
  case $2 in
    relay-backend-closed) if [[ $b == break ]]; then stop app-9000; else http 0.0.0.0 9000; fi ;;
    forward-guest-closed) if [[ $b == break ]]; then stop app-9100; else http 0.0.0.0 9100; fi ;;
    forward-missing)
      ipt np-f-fw -t nat "$([[ $b == break ]] && echo -D || echo -A)" PREROUTING -d 10.60.1.1 \
        -p tcp --dport 2224 -j DNAT --to-destination 10.60.3.10:9101 ;;
    dead-gateway)
      if [[ $b == break ]]; then ip -n np-f-cl3 route replace 10.60.2.0/24 via 10.60.1.254
      else ip -n np-f-cl3 route del 10.60.2.0/24 2>/dev/null || true; fi ;;
    dead-gateway-back)
      if [[ $b == break ]]; then ip -n np-f-db route replace 10.60.1.0/24 via 10.60.3.254
      else ip -n np-f-db route del 10.60.1.0/24 2>/dev/null || true; fi ;;
    host-down)
      if [[ $b == break ]]; then
        ip -n np-f-ghost link set eth0 down
        ip -n np-f-cl neigh flush to 10.60.1.99
        ip -n np-f-cl2 neigh flush to 10.60.1.99
      else
        ip -n np-f-ghost link set eth0 up
        ip -n np-f-ghost route replace default via 10.60.1.1
      fi ;;
    late-answer)
      stop web-5354
      if [[ $b == break ]]; then udp_echo web-5354 5354 1.5; else udp_echo web-5354 5354 0; fi ;;
    forward-drop)
      ipt np-f-fw "$([[ $b == break ]] && echo -I || echo -D)" FORWARD -s 10.60.1.10 \
        -d 10.60.2.10 -p tcp --dport 8080 -j DROP ;;
    input-drop)
      ipt np-f-web "$([[ $b == break ]] && echo -I || echo -D)" INPUT -s 10.60.1.11 -p icmp -j DROP ;;
    reject-admin)
      ipt np-f-fw "$([[ $b == break ]] && echo -I || echo -D)" FORWARD -s 10.60.1.12 \
        -d 10.60.3.10 -p tcp --dport 9001 -j REJECT --reject-with icmp-admin-prohibited ;;
    reject-reset)
      ipt np-f-fw "$([[ $b == break ]] && echo -I || echo -D)" FORWARD -s 10.60.1.11 \
        -d 10.60.3.10 -p tcp --dport 9001 -j REJECT --reject-with tcp-reset ;;
    no-route-at-router)
      if [[ $b == break ]]; then ip -n np-f-fw route del 10.60.5.0/24
      else ip -n np-f-fw route replace 10.60.5.0/24 via 10.60.3.2; fi ;;
    blackhole)
      if [[ $b == break ]]; then ip -n np-f-rt route add blackhole 10.60.4.20/32
      else ip -n np-f-rt route del blackhole 10.60.4.20/32 2>/dev/null || true; fi ;;
    no-route)
      if [[ $b == break ]]; then ip -n np-f-iso route del default
      else ip -n np-f-iso route replace default via 10.60.1.1; fi ;;
    no-route-back)
      if [[ $b == break ]]; then ip -n np-f-lab3 route del default
      else ip -n np-f-lab3 route replace default via 10.60.4.1; fi ;;
    loopback-only)
      stop app-9002
      if [[ $b == break ]]; then http 127.0.0.1 9002; else http 0.0.0.0 9002; fi ;;
    service-stopped) if [[ $b == break ]]; then stop app-9003; else http 0.0.0.0 9003; fi ;;
    udp-closed) if [[ $b == break ]]; then stop web-5353; else udp_echo web-5353 5353 0; fi ;;
    output-drop)
      ipt np-f-cl3 "$([[ $b == break ]] && echo -I || echo -D)" OUTPUT -p tcp --dport 9004 -j DROP ;;
    answer-dropped-at-source)
      ipt np-f-cl "$([[ $b == break ]] && echo -I || echo -D)" INPUT -p tcp --sport 9005 -j DROP ;;
    name-missing)
      if [[ $b == break ]]; then sed -i '/intranet.example/d' /etc/netns/np-f-cl/hosts
      else echo "10.60.2.10 intranet.example" >>/etc/netns/np-f-cl/hosts; fi ;;
    password-changed)
      if [[ $b == break ]]; then
        openssl rand -hex 12 >"$STATE/password.new"
        app_users "$STATE/password.new"
        rm -f "$STATE/password.new"
      else app_users "$STATE/password"; fi ;;
    hostkey-changed)
      local dir=$STATE/sshd-2200
      app_sshd_stop 2200
      if [[ $b == break ]]; then
        mv "$dir/ssh_host_ed25519_key" "$dir/kept_key"
        mv "$dir/ssh_host_ed25519_key.pub" "$dir/kept_key.pub"
        ssh-keygen -q -t ed25519 -N '' -C "np-f-app:2200 new" -f "$dir/ssh_host_ed25519_key"
      elif [[ -f $dir/kept_key ]]; then
        mv -f "$dir/kept_key" "$dir/ssh_host_ed25519_key"
        mv -f "$dir/kept_key.pub" "$dir/ssh_host_ed25519_key.pub"
      fi
      app_sshd 2200 ;;
    forward-wrong-port)
      local was=22 now=9001
      if [[ $b == restore ]]; then was=9001 now=22; fi
      ipt np-f-fw -t nat -D PREROUTING -d 10.60.1.1 -p tcp --dport 2226 -j DNAT \
        --to-destination "10.60.3.10:$was" 2>/dev/null || true
      ipt np-f-fw -t nat -A PREROUTING -d 10.60.1.1 -p tcp --dport 2226 -j DNAT \
        --to-destination "10.60.3.10:$now" ;;
    *) log "no fault '$2': $(faults_list)"; return 2 ;;
  esac
}

faults_list() { echo "${FAULTS[*]}"; }

switch() { # break|restore FAULT... (all: every fault)
  local action=$1; shift
  [[ $# -gt 0 ]] || { log "name a fault to $action: all, $(faults_list)"; return 2; }
  if [[ $1 == all ]]; then set -- "${FAULTS[@]}"; fi
  local f
  for f in "$@"; do
    describe "$f" >/dev/null || { log "no fault '$f'; faults: $(faults_list)"; return 2; }
  done
  for f in "$@"; do
    fault "$action" "$f"
    log "$action: $f ($(describe "$f"))"
  done
  sleep 0.3
}

down() {
  local ns pid
  for ns in "${NS[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  done
  sleep 0.2
  for ns in "${NS[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  ip route del unreachable "$RANGE" 2>/dev/null || true
  rm -rf "$STATE" /etc/netns/np-f-app /etc/netns/np-f-cl
  rmdir /etc/netns 2>/dev/null || true
}

is_up() { ip netns list | grep -q '^np-f-lab3\b' && [[ -d $STATE ]]; }

case ${1:-} in
  up)
    if is_up; then log "already up"; exit 0; fi
    down
    log "building the fault lab (namespaces np-f-*)"
    build
    log "up: healthy; break a fault with: netprobe lab break faults FAULT (list: faults)" ;;
  down) down; log "down" ;;
  status) if is_up; then log "up"; else log "not up"; exit 1; fi ;;
  break | restore)
    is_up || { log "the fault lab is not up: netprobe lab up faults"; exit 1; }
    action=$1
    shift
    switch "$action" "$@" ;;
  faults) for f in "${FAULTS[@]}"; do printf '%-26s %s\n' "$f" "$(describe "$f")"; done ;;
  *) echo "usage: faults-lab.sh up|down|status|faults|break FAULT...|restore FAULT..." >&2; exit 2 ;;
esac
