#!/usr/bin/env bash
# The demo lab's namespaces: the labs of LABS.md sections 1-4 built from network namespaces,
# veth pairs, bridges, iptables and real OpenSSH sshd. `netprobe lab up|down|status` runs this
# (the Docker half is DockerLab.java). Everything made here is named np-...; nothing it builds
# routes off the machine: the only link to the root namespace is np-inet, and the root
# namespace drops anything that would leave the lab through another interface.
#
# Names: the internet's DNS server is dnsmasq in np-inet on 203.0.113.53 (www.example.net and
# example.net -> 203.0.113.10, NXDOMAIN for every other name; it never forwards a query). Each PC
# and VM has /etc/netns/NAME/resolv.conf (203.0.113.53; the NAT VM: 10.0.2.3, VirtualBox's DNS
# proxy, which np-vbox DNATs to 203.0.113.53) and a hosts file with localhost and its own name
# only, so a name resolves by DNS through the lab's own paths (the host-only VM cannot resolve).
#
#   internet (np-inet) 203.0.113.0/24, server 203.0.113.10 ---- root ns (Docker host) 10.254.255.1
#            DNS 203.0.113.53 (dnsmasq)
#        | 203.0.113.2
#   campus gateway (np-gw) 10.1.0.254/16 + 192.168.37.254/24, NAT, drops private destinations
#        | campus LAN (bridge np-campus in np-sw)
#        +-- PC np-pc 10.1.5.90 --- NAT engine np-vbox 10.0.2.2 --- NAT VM np-vm-nat 10.0.2.15
#        |                          (DNS proxy 10.0.2.3 -> 203.0.113.53)
#        |     (forwards PC:1234 -> .15:22, 1235 -> :5001)  host-only 192.168.56.1 --- np-vm-ho .101
#        +-- neighbour np-pc2 10.1.7.33      +-- bridged VM np-vm-br 10.1.5.91
#        +-- OpenStack router np-os-rt 192.168.37.10, floating 192.168.37.163 -> np-os-vm 10.0.0.109
#        +-- RT1 np-rt1 192.168.37.20, floating 192.168.37.96 -> calc 192.168.1.10 (Net1)
#               Net1 --- RT2 np-rt2 192.168.1.253 / 192.168.2.254 --- Net2: sum .1 sub .2 mul .3 div .4
#
#   VLANs (LABS.md 6): Open vSwitch np-vsw (its own ovsdb-server and ovs-vswitchd in that namespace,
#   user-space datapath), access ports: VLAN 7 np-v7a 10.7.0.1, np-v7b .2, np-v7c .3 (its port put
#   in VLAN 8 by mistake); VLAN 8 np-v8a 10.8.0.1, np-v8b .2 (no gateway); router on a stick
#   np-vrt: internal ports in VLAN 7 (10.7.0.254) and VLAN 8 (10.8.0.254); a mirror (SPAN) port
#   into np-vmon, where a capture sees every frame of the switch with its 802.1Q tag.
#
#   Kubernetes (LABS.md 5), built as kubeadm + flannel + kube-proxy (iptables mode) build it: nodes
#   np-k8s-m (master) 10.1.8.10 and np-k8s-w1 (worker1) 10.1.8.11 on the campus LAN, a cni0
#   bridge per node (pods 10.244.0.0/24 on the master, 10.244.1.0/24 on worker1), VXLAN flannel.1
#   between them, kube-proxy's KUBE-* chains in each node: Service hello (ClusterIP 10.96.0.100:5000,
#   NodePort 31377) over pods np-k8s-h1..h3 on worker1 answering {"hello":"world"} on 5000; Service
#   empty (10.96.0.101, NodePort 31378) without endpoints; Service badport (10.96.0.102:5000) whose
#   targetPort 5001 is not its pod's port; a test pod np-k8s-t on the master.
set -euo pipefail

STATE=/run/np-lab
LAB_UID=4242
VMS=(np-vm-nat np-vm-br np-vm-ho np-os-vm np-calc np-sum np-sub np-mul np-div)
SVC_VMS=(np-os-vm np-calc np-sum np-sub np-mul np-div)
SUDO_VMS=(np-os-vm)
PCS=(np-pc np-pc2)
# The simulated internet's DNS server (dnsmasq in np-inet) and the NAT engine's DNS proxy.
INET_DNS=203.0.113.53
VBOX_DNS=10.0.2.3
DNS_PID=$STATE/dnsmasq.pid
# Lab addresses that the root namespace must never send off the machine (the internet's DNS
# server too: the root namespace never routes it, not even into the lab).
UNREACHABLE_IN_ROOT=(10.1.0.0/16 10.0.2.0/24 10.0.0.0/24 192.168.56.0/24 192.168.37.0/24
  192.168.1.0/24 192.168.2.0/24 10.255.1.0/30 10.7.0.0/24 10.8.0.0/24 10.244.0.0/16
  10.96.0.0/12 "$INET_DNS/32")
# The campus LAN and the OpenStack project network are dual stack (ULA fd00:1::/64 and
# fd00:10::/64): routed nowhere from the root namespace either.
UNREACHABLE6_IN_ROOT=(fd00:1::/64 fd00:10::/64)
# The VLAN lab's Open vSwitch: its own database and daemons, run in np-vsw, files under $OVS;
# the machine's own Open vSwitch (/run/openvswitch), if it has one, is left alone.
OVS=$STATE/ovs
VLAN_HOSTS=(np-v7a np-v7b np-v7c np-v8a np-v8b np-vmon)
K8S=(np-k8s-m np-k8s-w1 np-k8s-h1 np-k8s-h2 np-k8s-h3 np-k8s-t)
# Only the internet's server is routed from the root namespace (for the containers): the rest
# of 203.0.113.0/24 may be in real use by this machine (here its package mirror is .80).
INET_SERVER=203.0.113.10/32

log() { echo "lab: $*" >&2; }
nsx() { ip netns exec "$@"; }

# --- building blocks ----------------------------------------------------------------------

mkns() { # NAME [forward]
  ip netns add "$1"
  ip -n "$1" link set lo up
  nsx "$1" sysctl -qw net.ipv4.ping_group_range="0 2147483647" net.ipv4.icmp_ratelimit=0 \
    net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0 \
    net.ipv4.ip_forward="$([[ ${2:-} == forward ]] && echo 1 || echo 0)" \
    net.ipv6.icmp.ratelimit=0 net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
}

# A point-to-point link: p2p NS1 IF1 ADDR1 NS2 IF2 ADDR2
p2p() {
  ip -n "$1" link add "$2" type veth peer name "$5" netns "$4"
  ip -n "$1" addr add "$3" dev "$2" && ip -n "$1" link set "$2" up
  ip -n "$4" addr add "$6" dev "$5" && ip -n "$4" link set "$5" up
}

# A leg on a bridge of the switch namespace: leg BRIDGE NS IF ADDR...
leg() {
  local br=$1 ns=$2 if=$3 port="${2#np-}-${1#np-}"
  port=${port:0:15}
  ip -n "$ns" link add "$if" type veth peer name "$port" netns np-sw
  ip -n np-sw link set "$port" master "$br" up
  shift 3
  for a in "$@"; do ip -n "$ns" addr add "$a" dev "$if"; done
  ip -n "$ns" link set "$if" up
}

gw() { ip -n "$1" route add default via "$2"; }
ipt() { local ns=$1; shift; nsx "$ns" iptables -w "$@"; }
daemon() { # NS CMD... : a service in a namespace, detached, logging to $STATE/NS.log
  local ns=$1; shift
  nsx "$ns" setsid "$@" </dev/null >>"$STATE/$ns.log" 2>&1 &
}

# --- the VMs' OpenSSH ---------------------------------------------------------------------

credentials() {
  mkdir -p "$STATE/home"
  chmod 755 "$STATE"
  openssl rand -hex 12 >"$STATE/password"
  chmod 600 "$STATE/password"
  ssh-keygen -q -t ed25519 -N '' -C lab@np-lab -f "$STATE/id_ed25519"
  cp "$STATE/id_ed25519.pub" "$STATE/authorized_keys"
  chmod 644 "$STATE/authorized_keys"
  : >"$STATE/known_hosts"
}

# VM NAME: a user `lab` seen only inside the namespace (ip netns exec bind-mounts
# /etc/netns/NAME/* over /etc/*), its own host key and sshd_config, sshd on port 22.
vm_sshd() {
  local ns=$1 etc=/etc/netns/$1 dir=$STATE/$1 hash
  mkdir -p "$etc" "$dir" "$STATE/home/$ns"
  chown "$LAB_UID:$LAB_UID" "$STATE/home/$ns"
  hash=$(openssl passwd -6 -stdin <"$STATE/password")
  { grep -E '^(root|sshd|nobody):' /etc/passwd
    echo "lab:x:$LAB_UID:$LAB_UID:lab user:$STATE/home/$ns:/bin/sh"; } >"$etc/passwd"
  { echo 'root:*:19000:0:99999:7:::'
    echo "lab:$hash:19000:0:99999:7:::"; } >"$etc/shadow"
  chmod 640 "$etc/shadow"
  { grep -E '^(root|nogroup):' /etc/group; echo "lab:x:$LAB_UID:"; } >"$etc/group"
  echo "${ns#np-}" >"$etc/hostname"
  # A cloud image's default user has passwordless sudo; the VirtualBox VMs' users do not.
  if [[ " ${SUDO_VMS[*]} " == *" $ns "* ]]; then
    echo "lab ALL=(ALL) NOPASSWD: ALL" >"$etc/sudoers"
    chmod 440 "$etc/sudoers"
  fi
  ssh-keygen -q -t ed25519 -N '' -C "$ns" -f "$dir/ssh_host_ed25519_key"
  cat >"$dir/sshd_config" <<CFG
Port 22
HostKey $dir/ssh_host_ed25519_key
PidFile $dir/sshd.pid
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile $STATE/authorized_keys
StrictModes no
PermitRootLogin no
AllowUsers lab
UseDNS no
PrintMotd no
MaxStartups 200:30:400
Subsystem sftp internal-sftp
CFG
  start_sshd "$ns"
}

# Starts the VM's sshd (again: tests stop it to see a refused port), in its own UTS namespace
# too, so that `hostname` over SSH names the VM.
start_sshd() {
  local ns=$1 dir=$STATE/$1
  nsx "$ns" unshare --uts sh -c \
    "hostname ${ns#np-} && exec /usr/sbin/sshd -f $dir/sshd_config -E $dir/sshd.log"
}

known_host() { # ADDRESS[:PORT] VM (an IPv6 ADDRESS without a port)
  local key
  key=$(cut -d' ' -f1,2 "$STATE/$2/ssh_host_ed25519_key.pub")
  case $1 in
    *.*:*) echo "[${1%:*}]:${1#*:} $key" ;;
    *) echo "$1 $key" ;;
  esac >>"$STATE/known_hosts"
}

# --- names: the internet's DNS server, each node's resolver ------------------------------

# dnsmasq in np-inet, bound to 203.0.113.53:53 only: answers from $STATE/inet-dns.hosts,
# NXDOMAIN for every other name (--local=/#/: every domain is local, so nothing is ever
# forwarded; --no-resolv and no --server: it knows no upstream at all). No DHCP, no
# /etc/dnsmasq.conf, no /etc/hosts, no /etc/resolv.conf. Started once: not again while running.
dns_server() {
  if dns_running; then return 0; fi
  if ! command -v dnsmasq >/dev/null; then
    log "dnsmasq is missing: run scripts/setup as root (it installs dnsmasq-base), then lab up"
    return 1
  fi
  echo "203.0.113.10 www.example.net example.net" >"$STATE/inet-dns.hosts"
  if ! nsx np-inet dnsmasq --conf-file=/dev/null --no-resolv --no-poll --no-hosts \
    --addn-hosts="$STATE/inet-dns.hosts" --local=/#/ --bind-interfaces \
    --listen-address="$INET_DNS" --port=53 --no-dhcp-interface=lo --pid-file="$DNS_PID" \
    --user=nobody --group=nogroup --log-facility="$STATE/dnsmasq.log"; then
    log "dnsmasq did not start in np-inet on $INET_DNS:53 (see $STATE/dnsmasq.log)"
    return 1
  fi
}

# The pid of the lab's dnsmasq, if it runs: by pid file, else by its command line.
dns_pid() {
  local pid
  pid=$(cat "$DNS_PID" 2>/dev/null || true)
  if [[ $pid =~ ^[0-9]+$ ]] && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == dnsmasq ]]; then
    echo "$pid"
  else
    pgrep -f -- "dnsmasq .*--pid-file=$DNS_PID" 2>/dev/null | head -n 1 || true
  fi
}
dns_running() { [[ -n $(dns_pid) ]]; }

# Stops the lab's dnsmasq (and its TCP children), also when its namespace or pid file is gone.
dns_stop() {
  local pid
  pid=$(cat "$DNS_PID" 2>/dev/null || true)
  if [[ $pid =~ ^[0-9]+$ ]] && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == dnsmasq ]]; then
    kill "$pid" 2>/dev/null || true
  fi
  pkill -f -- "dnsmasq .*--pid-file=$DNS_PID" 2>/dev/null || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    pgrep -f -- "dnsmasq .*--pid-file=$DNS_PID" >/dev/null || return 0
    sleep 0.1
  done
  pkill -9 -f -- "dnsmasq .*--pid-file=$DNS_PID" 2>/dev/null || true
}

# NODE NAMESERVER: /etc/netns/NODE/{hosts,resolv.conf}, which `ip netns exec` (and the agent)
# use in place of /etc's. The hosts file knows only localhost and the node itself.
resolver() {
  local ns=$1 etc=/etc/netns/$1
  mkdir -p "$etc"
  { echo "127.0.0.1 localhost"; echo "127.0.1.1 ${ns#np-}"; } >"$etc/hosts"
  { echo "# netprobe demo lab: the lab internet's DNS server $INET_DNS${3:+, $3}"
    echo "nameserver $2"; } >"$etc/resolv.conf"
}

resolvers() {
  local ns
  for ns in "${PCS[@]}" "${VMS[@]}"; do resolver "$ns" "$INET_DNS"; done
  resolver np-vm-nat "$VBOX_DNS" "through VirtualBox's DNS proxy $VBOX_DNS"
}

# --- the topology -------------------------------------------------------------------------

build() {
  mkdir -p "$STATE"
  mkns np-sw
  for br in np-campus np-net1 np-net2; do
    ip -n np-sw link add "$br" type bridge && ip -n np-sw link set "$br" up
  done

  # The simulated internet, its only link to the root namespace, the campus gateway.
  mkns np-inet forward
  ip -n np-inet addr add 203.0.113.10/32 dev lo
  ip -n np-inet addr add "$INET_DNS/32" dev lo
  ip link add np-inet type veth peer name eth1 netns np-inet
  ip addr add 10.254.255.1/30 dev np-inet && ip link set np-inet up
  ip -n np-inet addr add 10.254.255.2/30 dev eth1 && ip -n np-inet link set eth1 up
  mkns np-gw forward
  p2p np-gw eth1 203.0.113.2/24 np-inet eth0 203.0.113.1/24
  leg np-campus np-gw eth0 10.1.0.254/16 192.168.37.254/24
  gw np-gw 203.0.113.1
  ipt np-gw -t nat -A POSTROUTING -o eth1 -j MASQUERADE
  for r in 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16; do # the internet routes no private range
    ipt np-gw -A FORWARD -o eth1 -d "$r" -j DROP
  done

  # LABS.md 1: the PC, its VirtualBox NAT engine and NAT VM, a bridged and a host-only VM.
  mkns np-pc forward
  leg np-campus np-pc eth0 10.1.5.90/16
  gw np-pc 10.1.0.254
  mkns np-vbox forward
  p2p np-pc vbox0 10.255.1.1/30 np-vbox eth0 10.255.1.2/30
  gw np-vbox 10.255.1.1
  ipt np-pc -t nat -A POSTROUTING -s 10.255.1.0/30 -j MASQUERADE
  mkns np-vm-nat
  p2p np-vbox eth1 10.0.2.2/24 np-vm-nat eth0 10.0.2.15/24
  gw np-vm-nat 10.0.2.2
  ipt np-vbox -t nat -A POSTROUTING -o eth0 -j MASQUERADE
  ipt np-vbox -t nat -A PREROUTING -i eth0 -p tcp --dport 1234 -j DNAT --to-destination 10.0.2.15:22
  # A second forward, host 1235 -> guest 5001, as a student adds for a service: the demo measures
  # the port-forward path through it (an rr check; the VM's agent answers on 5001).
  ipt np-vbox -t nat -A PREROUTING -i eth0 -p tcp --dport 1235 -j DNAT --to-destination 10.0.2.15:5001
  ipt np-vbox -t nat -A POSTROUTING -o eth1 -j MASQUERADE # the VM sees 10.0.2.2, as in VirtualBox
  # VirtualBox's DNS proxy 10.0.2.3 (answers ARP and ping, relays DNS): the lab internet's DNS.
  ip -n np-vbox addr add "$VBOX_DNS/24" dev eth1
  for p in udp tcp; do
    ipt np-vbox -t nat -A PREROUTING -i eth1 -d "$VBOX_DNS" -p "$p" --dport 53 \
      -j DNAT --to-destination "$INET_DNS"
  done
  # VirtualBox listens on the host's port itself; so does this forwarder, in the PC.
  daemon np-pc socat TCP-LISTEN:1234,fork,reuseaddr TCP:10.255.1.2:1234
  daemon np-pc socat TCP-LISTEN:1235,fork,reuseaddr,nodelay TCP:10.255.1.2:1235,nodelay
  mkns np-pc2
  leg np-campus np-pc2 eth0 10.1.7.33/16
  gw np-pc2 10.1.0.254
  mkns np-vm-br
  leg np-campus np-vm-br eth0 10.1.5.91/16
  gw np-vm-br 10.1.0.254
  mkns np-vm-ho
  p2p np-pc hostonly0 192.168.56.1/24 np-vm-ho eth0 192.168.56.101/24
  # The campus LAN is dual stack: each of these has an IPv6 address of fd00:1::/64 too. The
  # bridged VM's IPv6 firewall drops SSH (its admin opened tcp/22 in iptables, not ip6tables).
  for a in np-gw:fd00:1::fe np-pc:fd00:1::5a np-pc2:fd00:1::21 np-vm-br:fd00:1::5b; do
    ip -n "${a%%:*}" addr add "${a#*:}/64" dev eth0 nodad
  done
  nsx np-vm-br ip6tables -w -A INPUT -p tcp --dport 22 -j DROP

  # LABS.md 3: OpenStack router, floating IP 1:1 to the VM, security group on the VM's port.
  mkns np-os-rt forward
  leg np-campus np-os-rt eth0 192.168.37.10/24 192.168.37.163/32
  gw np-os-rt 192.168.37.254
  mkns np-os-vm
  p2p np-os-rt eth1 10.0.0.254/24 np-os-vm eth0 10.0.0.109/24
  gw np-os-vm 10.0.0.254
  floating np-os-rt 192.168.37.163 10.0.0.109 eth1 22
  daemon np-os-vm busybox httpd -f -p 50000 -h "$STATE/www"
  # The project network is dual stack (fd00:10::/64). OpenStack routes an IPv6 project subnet
  # instead of floating it: the campus reaches the VM's own address through the router (the PCs
  # have a route), and the security group guards it there too, in ip6tables.
  nsx np-os-rt sysctl -qw net.ipv6.conf.all.forwarding=1
  ip -n np-os-rt addr add fd00:1::a/64 dev eth0 nodad
  ip -n np-os-rt addr add fd00:10::fe/64 dev eth1 nodad
  ip -n np-os-vm addr add fd00:10::6d/64 dev eth0 nodad
  ip -n np-os-vm -6 route add default via fd00:10::fe
  for pc in np-pc np-pc2; do ip -n "$pc" -6 route add fd00:10::/64 via fd00:1::a; done
  security_group ip6tables np-os-rt fd00:10::6d eth1 ipv6-icmp 22

  # LABS.md 4: two routed networks; the calculator VM lacks its route to Net2.
  mkns np-rt1 forward
  leg np-campus np-rt1 eth0 192.168.37.20/24 192.168.37.96/32
  leg np-net1 np-rt1 eth1 192.168.1.254/24
  gw np-rt1 192.168.37.254
  floating np-rt1 192.168.37.96 192.168.1.10 eth1 22 50000
  mkns np-rt2 forward
  leg np-net1 np-rt2 eth0 192.168.1.253/24
  leg np-net2 np-rt2 eth1 192.168.2.254/24
  gw np-rt2 192.168.1.254
  mkns np-calc
  leg np-net1 np-calc eth0 192.168.1.10/24
  gw np-calc 192.168.1.254
  local i=1
  for vm in np-sum np-sub np-mul np-div; do
    mkns "$vm"
    leg np-net2 "$vm" eth0 "192.168.2.$i/24"
    gw "$vm" 192.168.2.254
    i=$((i + 1))
  done
  for vm in np-calc np-sum np-sub np-mul np-div; do
    daemon "$vm" busybox httpd -f -p 50000 -h "$STATE/www"
  done

  # The internet's server answers ping (the kernel) and tcp/80; its DNS server, names.
  daemon np-inet busybox httpd -f -p 80 -h "$STATE/www"
  dns_server
  resolvers
  vlans
  kubernetes
}

# --- LABS.md 5: Kubernetes, as kubeadm, flannel and kube-proxy build it -------------------------

# A pod: pod NODE NS ADDR (on the node's cni0, default route via the bridge's address).
pod() {
  local node=$1 ns=$2 addr=$3 port="veth${2#np-k8s-}"
  mkns "$ns"
  ip -n "$ns" link add eth0 type veth peer name "$port" netns "$node"
  ip -n "$node" link set "$port" master cni0 up
  ip -n "$ns" addr add "$addr/24" dev eth0 && ip -n "$ns" link set eth0 up
  gw "$ns" "${addr%.*}.1"
}

# A node: k8s_node NS NODE_IP POD_SUBNET_INDEX: cni0 10.244.N.1/24, flannel.1 10.244.N.0/32.
k8s_node() {
  local ns=$1 ip=$2 n=$3
  mkns "$ns" forward
  leg np-campus "$ns" eth0 "$ip/16"
  gw "$ns" 10.1.0.254
  ip -n "$ns" link add cni0 type bridge
  ip -n "$ns" addr add "10.244.$n.1/24" dev cni0 && ip -n "$ns" link set cni0 up
  ip -n "$ns" link add flannel.1 type vxlan id 1 local "$ip" dev eth0 dstport 8472 nolearning
  ip -n "$ns" addr add "10.244.$n.0/32" dev flannel.1 && ip -n "$ns" link set flannel.1 up
  # flannel masquerades what leaves the pod network for elsewhere
  ipt "$ns" -t nat -A POSTROUTING -s 10.244.0.0/16 ! -d 10.244.0.0/16 -j MASQUERADE
}

# flannel's route to another node's pods: over VXLAN to that node's VTEP (its MAC, its address).
k8s_peer() { # NS PEER_NS PEER_IP PEER_N
  local mac
  mac=$(nsx "$2" cat /sys/class/net/flannel.1/address)
  ip -n "$1" route add "10.244.$4.0/24" via "10.244.$4.0" dev flannel.1 onlink
  ip -n "$1" neigh add "10.244.$4.0" lladdr "$mac" dev flannel.1 nud permanent
  nsx "$1" bridge fdb append "$mac" dev flannel.1 dst "$3"
}

# kube-proxy in iptables mode on one node: the chains and rules it writes for the Services.
kube_proxy() {
  local ns=$1 i
  local pods=(10.244.1.2 10.244.1.3 10.244.1.4)
  local prob=(0.33333333349 0.50000000000)
  for c in KUBE-SERVICES KUBE-NODEPORTS KUBE-SVC-HELLO KUBE-MARK-MASQ KUBE-POSTROUTING \
    KUBE-SEP-HELLO1 KUBE-SEP-HELLO2 KUBE-SEP-HELLO3 KUBE-SVC-BADPORT KUBE-SEP-BADPORT1; do
    ipt "$ns" -t nat -N "$c"
  done
  ipt "$ns" -t nat -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
  ipt "$ns" -t nat -A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
  ipt "$ns" -t nat -A POSTROUTING -m comment --comment "kubernetes postrouting rules" \
    -j KUBE-POSTROUTING
  ipt "$ns" -t nat -A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
  ipt "$ns" -t nat -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
  ipt "$ns" -t nat -A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
  ipt "$ns" -t nat -A KUBE-POSTROUTING -m comment \
    --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
  ipt "$ns" -t nat -A KUBE-SERVICES -d 10.96.0.100/32 -p tcp -m comment \
    --comment "default/hello cluster IP" -m tcp --dport 5000 -j KUBE-SVC-HELLO
  ipt "$ns" -t nat -A KUBE-SERVICES -m comment \
    --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" \
    -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
  ipt "$ns" -t nat -A KUBE-NODEPORTS -p tcp -m comment --comment "default/hello" -m tcp \
    --dport 31377 -j KUBE-MARK-MASQ
  ipt "$ns" -t nat -A KUBE-NODEPORTS -p tcp -m comment --comment "default/hello" -m tcp \
    --dport 31377 -j KUBE-SVC-HELLO
  for i in 1 2 3; do
    local ep=${pods[$((i - 1))]}
    if ((i < 3)); then
      ipt "$ns" -t nat -A KUBE-SVC-HELLO -m comment --comment "default/hello -> $ep:5000" \
        -m statistic --mode random --probability "${prob[$((i - 1))]}" -j "KUBE-SEP-HELLO$i"
    else
      ipt "$ns" -t nat -A KUBE-SVC-HELLO -m comment --comment "default/hello -> $ep:5000" \
        -j "KUBE-SEP-HELLO$i"
    fi
    ipt "$ns" -t nat -A "KUBE-SEP-HELLO$i" -s "$ep/32" -m comment --comment default/hello \
      -j KUBE-MARK-MASQ
    ipt "$ns" -t nat -A "KUBE-SEP-HELLO$i" -p tcp -m comment --comment default/hello -m tcp \
      -j DNAT --to-destination "$ep:5000"
  done
  # Service badport: its targetPort (5001) is not the port its pod listens on (5000).
  ipt "$ns" -t nat -A KUBE-SERVICES -d 10.96.0.102/32 -p tcp -m comment \
    --comment "default/badport cluster IP" -m tcp --dport 5000 -j KUBE-SVC-BADPORT
  ipt "$ns" -t nat -A KUBE-SVC-BADPORT -m comment --comment "default/badport -> 10.244.1.2:5001" \
    -j KUBE-SEP-BADPORT1
  ipt "$ns" -t nat -A KUBE-SEP-BADPORT1 -p tcp -m comment --comment default/badport -m tcp \
    -j DNAT --to-destination 10.244.1.2:5001
  # A Service without endpoints: kube-proxy rejects its ClusterIP and its node port.
  ipt "$ns" -N KUBE-SERVICES
  ipt "$ns" -N KUBE-EXTERNAL-SERVICES
  ipt "$ns" -A INPUT -m conntrack --ctstate NEW -m comment \
    --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
  ipt "$ns" -A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" \
    -j KUBE-SERVICES
  ipt "$ns" -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" \
    -j KUBE-SERVICES
  ipt "$ns" -A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" \
    -j KUBE-SERVICES
  ipt "$ns" -A KUBE-SERVICES -d 10.96.0.101/32 -p tcp -m comment \
    --comment "default/empty has no endpoints" -m tcp --dport 5000 \
    -j REJECT --reject-with icmp-port-unreachable
  ipt "$ns" -A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/empty has no endpoints" \
    -m addrtype --dst-type LOCAL -m tcp --dport 31378 -j REJECT --reject-with icmp-port-unreachable
}

kubernetes() {
  mkdir -p "$STATE/k8s-www"
  echo '{"hello":"world"}' >"$STATE/k8s-www/index.html"
  k8s_node np-k8s-m 10.1.8.10 0
  k8s_node np-k8s-w1 10.1.8.11 1
  k8s_peer np-k8s-m np-k8s-w1 10.1.8.11 1
  k8s_peer np-k8s-w1 np-k8s-m 10.1.8.10 0
  pod np-k8s-w1 np-k8s-h1 10.244.1.2
  pod np-k8s-w1 np-k8s-h2 10.244.1.3
  pod np-k8s-w1 np-k8s-h3 10.244.1.4
  pod np-k8s-m np-k8s-t 10.244.0.2
  local p
  for p in np-k8s-h1 np-k8s-h2 np-k8s-h3; do
    daemon "$p" busybox httpd -f -p 5000 -h "$STATE/k8s-www"
  done
  kube_proxy np-k8s-m
  kube_proxy np-k8s-w1
}

# --- LABS.md 6: VLANs on an Open vSwitch ----------------------------------------------------

vsctl() { ovs-vsctl --db="unix:$OVS/db.sock" --timeout=10 "$@"; }

# The switch's daemons, in np-vsw, with every file of theirs under $OVS.
ovs_start() {
  mkdir -p "$OVS"
  ovsdb-tool create "$OVS/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  nsx np-vsw env OVS_RUNDIR="$OVS" OVS_LOGDIR="$OVS" OVS_DBDIR="$OVS" ovsdb-server "$OVS/conf.db" \
    --remote="punix:$OVS/db.sock" --pidfile="$OVS/ovsdb-server.pid" \
    --unixctl="$OVS/ovsdb-server.ctl" --log-file="$OVS/ovsdb-server.log" --detach \
    >>"$OVS/start.log" 2>&1
  vsctl --no-wait init
  nsx np-vsw env OVS_RUNDIR="$OVS" OVS_LOGDIR="$OVS" OVS_DBDIR="$OVS" ovs-vswitchd \
    "unix:$OVS/db.sock" --pidfile="$OVS/ovs-vswitchd.pid" --unixctl="$OVS/ovs-vswitchd.ctl" \
    --log-file="$OVS/ovs-vswitchd.log" --detach >>"$OVS/start.log" 2>&1
}

# An access port: vport NS ADDR TAG [GATEWAY]; the host's MAC goes into the port's
# external_ids:attached-mac, as OpenStack and libvirt write it for a VM's port.
vport() {
  local ns=$1 addr=$2 tag=$3 gw=${4:-} port="${1#np-}"
  mkns "$ns"
  ip -n "$ns" link add eth0 type veth peer name "$port" netns np-vsw
  ip -n np-vsw link set "$port" up
  ip -n "$ns" addr add "$addr" dev eth0 && ip -n "$ns" link set eth0 up
  [[ -n $gw ]] && gw "$ns" "$gw"
  vsctl add-port np-vlans "$port" tag="$tag" -- set interface "$port" \
    external_ids:attached-mac="$(nsx "$ns" cat /sys/class/net/eth0/address)"
}

vlans() {
  mkns np-vsw
  ovs_start
  vsctl add-br np-vlans -- set bridge np-vlans datapath_type=netdev
  ip -n np-vsw link set np-vlans up
  vport np-v7a 10.7.0.1/24 7 10.7.0.254
  vport np-v7b 10.7.0.2/24 7 10.7.0.254
  vport np-v7c 10.7.0.3/24 8 10.7.0.254 # a host of VLAN 7 whose port is in VLAN 8: the mistake
  vport np-v8a 10.8.0.1/24 8 10.8.0.254
  vport np-v8b 10.8.0.2/24 8 # no gateway: VLAN 8 only
  # A mirror port: every frame of the bridge, tagged with its VLAN, out to np-vmon (no address).
  mkns np-vmon
  ip -n np-vmon link add eth0 type veth peer name vmon netns np-vsw
  ip -n np-vsw link set vmon up && ip -n np-vmon link set eth0 up
  vsctl add-port np-vlans vmon -- --id=@p get port vmon \
    -- --id=@m create mirror name=np-span select-all=true output-port=@p \
    -- set bridge np-vlans mirrors=@m >/dev/null
  # The router on a stick: one internal port per VLAN, moved into the router's namespace.
  mkns np-vrt forward
  local tag
  for tag in 7 8; do
    vsctl add-port np-vlans "vrt$tag" tag="$tag" -- set interface "vrt$tag" type=internal
    for _ in $(seq 50); do ip -n np-vsw link show "vrt$tag" >/dev/null 2>&1 && break; sleep 0.1; done
    vsctl set interface "vrt$tag" \
      external_ids:attached-mac="$(nsx np-vsw cat "/sys/class/net/vrt$tag/address")"
    ip -n np-vsw link set "vrt$tag" netns np-vrt
    ip -n np-vrt addr add "10.$tag.0.254/24" dev "vrt$tag"
    ip -n np-vrt link set "vrt$tag" up
  done
}

# floating ROUTER FLOATING_IP PRIVATE_IP INNER_IF TCP_PORTS...: 1:1 NAT and a security group
# (ingress: icmp and the given ports; everything else silently dropped, as OpenStack does).
floating() {
  local rt=$1 fip=$2 pip=$3 inner=$4
  shift 4
  ipt "$rt" -t nat -A PREROUTING -d "$fip" -j DNAT --to-destination "$pip"
  ipt "$rt" -t nat -A POSTROUTING -s "$pip" -o eth0 -j SNAT --to-source "$fip"
  ipt "$rt" -t nat -A POSTROUTING -o eth0 -j MASQUERADE
  security_group iptables "$rt" "$pip" "$inner" icmp "$@"
}

# security_group IPTABLES ROUTER ADDRESS INNER_IF ICMP TCP_PORTS...: what reaches ADDRESS through
# the router: answers, ICMP (icmp, or ipv6-icmp with ip6tables) and the given TCP ports.
security_group() {
  local cmd=$1 rt=$2 ip=$3 inner=$4 icmp=$5
  shift 5
  nsx "$rt" "$cmd" -w -N np-sg
  nsx "$rt" "$cmd" -w -A FORWARD -o "$inner" -d "$ip" -j np-sg
  nsx "$rt" "$cmd" -w -A np-sg -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  nsx "$rt" "$cmd" -w -A np-sg -p "$icmp" -j ACCEPT
  for p in "$@"; do nsx "$rt" "$cmd" -w -A np-sg -p tcp --dport "$p" -j ACCEPT; done
  nsx "$rt" "$cmd" -w -A np-sg -j DROP
}

# The root namespace: the internet's server into the lab, the other lab ranges nowhere, and nothing
# that enters from a lab link or a container leaves through an interface that is not the lab's
# or Docker's. The jumps go first in DOCKER-USER, which Docker evaluates before its own ACCEPTs
# (Docker inserts those at the top of FORWARD whenever it creates a network).
GUARDED=(np-+ docker0)
guard_chain() { iptables -w -L DOCKER-USER -n >/dev/null 2>&1 && echo DOCKER-USER || echo FORWARD; }
root_guard() {
  local chain
  chain=$(guard_chain)
  ip route replace "$INET_SERVER" via 10.254.255.2 dev np-inet
  for r in "${UNREACHABLE_IN_ROOT[@]}"; do ip route replace unreachable "$r" metric 4242; done
  for r in "${UNREACHABLE6_IN_ROOT[@]}"; do ip -6 route replace unreachable "$r" metric 4242; done
  iptables -w -N np-guard 2>/dev/null || iptables -w -F np-guard
  iptables -w -A np-guard -o np-+ -j RETURN
  iptables -w -A np-guard -o docker0 -j RETURN
  iptables -w -A np-guard -j DROP
  for i in "${GUARDED[@]}"; do
    iptables -w -C "$chain" -i "$i" -j np-guard 2>/dev/null || iptables -w -I "$chain" 1 -i "$i" -j np-guard
  done
}

up() {
  if [[ -f $STATE/up ]] && status >/dev/null 2>&1; then
    log "already up"
    return 0
  fi
  down quiet
  log "building namespaces, links, NAT and filters"
  mkdir -p "$STATE/www"
  echo "netprobe demo lab" >"$STATE/www/index.html"
  credentials
  build
  root_guard
  log "starting sshd in ${#VMS[@]} VMs"
  for vm in "${VMS[@]}"; do vm_sshd "$vm"; done
  known_host 10.0.2.15 np-vm-nat
  known_host 127.0.0.1:1234 np-vm-nat
  known_host 10.1.5.91 np-vm-br
  known_host 192.168.56.101 np-vm-ho
  known_host 10.0.0.109 np-os-vm
  known_host fd00:10::6d np-os-vm
  known_host 192.168.37.163 np-os-vm
  known_host 192.168.1.10 np-calc
  known_host 192.168.37.96 np-calc
  i=1
  for vm in np-sum np-sub np-mul np-div; do known_host "192.168.2.$i" "$vm"; i=$((i + 1)); done
  touch "$STATE/up"
  log "namespaces up"
}

# The lab's own namespaces: down removes these and no other np-* (tests make their own).
NAMESPACES=(np-sw np-inet np-gw np-pc np-vbox np-pc2 np-os-rt np-rt1 np-rt2 "${VMS[@]}"
  np-vsw np-vrt "${VLAN_HOSTS[@]}" "${K8S[@]}")
present() { ip netns list | awk '{print $1}' | grep -xF -f <(printf '%s\n' "${NAMESPACES[@]}") || true; }

down() {
  local ns pids
  dns_stop
  for ns in $(present); do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [[ -n $pids ]] && kill $pids 2>/dev/null || true
  done
  sleep 0.2
  for ns in $(present); do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [[ -n $pids ]] && kill -9 $pids 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  ip link del np-inet 2>/dev/null || true
  ip route del "$INET_SERVER" 2>/dev/null || true
  for r in "${UNREACHABLE_IN_ROOT[@]}"; do ip route del unreachable "$r" metric 4242 2>/dev/null || true; done
  for r in "${UNREACHABLE6_IN_ROOT[@]}"; do
    ip -6 route del unreachable "$r" metric 4242 2>/dev/null || true
  done
  for chain in FORWARD DOCKER-USER; do
    for i in "${GUARDED[@]}"; do
      while iptables -w -D "$chain" -i "$i" -j np-guard 2>/dev/null; do :; done
    done
  done
  iptables -w -F np-guard 2>/dev/null || true
  iptables -w -X np-guard 2>/dev/null || true
  for ns in "${NAMESPACES[@]}"; do rm -rf "/etc/netns/$ns"; done
  rm -rf "$STATE"
  rmdir /etc/netns 2>/dev/null || true
  # iproute2 bind-mounts /run/netns on itself; with no namespace left, undo that too.
  if [[ -z $(ip netns list) ]] && grep -q ' /run/netns ' /proc/mounts; then
    umount /run/netns 2>/dev/null || true
  fi
  [[ ${1:-} == quiet ]] || log "namespaces down"
}

# Exit 0 when every namespace and sshd is there, 1 otherwise; one line per namespace.
status() {
  local ok=0 ns
  for ns in "${NAMESPACES[@]}"; do
    if ! ip netns list | awk '{print $1}' | grep -qx "$ns"; then
      echo "$ns: missing"; ok=1
    elif [[ " ${VMS[*]} " == *" $ns "* ]] && ! kill -0 "$(cat "$STATE/$ns/sshd.pid" 2>/dev/null || echo 0)" 2>/dev/null; then
      echo "$ns: up, sshd not running"; ok=1
    elif [[ " ${VMS[*]} " == *" $ns "* ]] &&
      ! grep -q '^lab:' "/proc/$(cat "$STATE/$ns/sshd.pid")/root/etc/passwd" 2>/dev/null; then
      # ip netns exec bind-mounted /etc/netns/NAME/passwd over /etc/passwd for sshd; replacing
      # the machine's /etc/passwd (a package that adds a user, passwd, adduser) drops that mount
      echo "$ns: up, sshd no longer sees user lab (/etc/passwd was replaced since it started)"
      ok=1
    elif [[ $ns == np-vsw ]] && ! kill -0 "$(cat "$OVS/ovs-vswitchd.pid" 2>/dev/null || echo 0)" 2>/dev/null; then
      echo "$ns: up, Open vSwitch not running"; ok=1
    else
      echo "$ns: up"
    fi
  done
  if dns_running; then
    echo "dns $INET_DNS (dnsmasq in np-inet): running"
  else
    echo "dns $INET_DNS (dnsmasq in np-inet): not running"; ok=1
  fi
  return $ok
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  names) printf '%s\n' "${NAMESPACES[@]}" ;;
  start-sshd) start_sshd "$2" ;;
  *) echo "usage: demo-lab.sh up|down|status|names|start-sshd NS" >&2; exit 2 ;;
esac
