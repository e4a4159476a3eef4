//! A sandbox's egress rules, enforced inside its own network namespace by nftables (Debian's
//! `nft`, called by its absolute path, joining only that network namespace): replies pass,
//! link-local addresses (cloud metadata services) are always refused, then allowed destinations
//! win over denied ones.
//! The sandbox itself cannot change them (it has no `CAP_NET_ADMIN`).

use std::net::IpAddr;
use std::os::fd::{AsRawFd, BorrowedFd};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};

use tokio::io::AsyncWriteExt as _;

/// Where nft may be installed; it is never looked up through `PATH`.
pub const CANDIDATES: &[&str] = &["/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft"];

/// Always refused: link-local addresses, where cloud metadata services answer.
pub const LINK_LOCAL: &str = "169.254.0.0/16";

/// The first installed candidate.
pub fn find() -> Option<PathBuf> {
    CANDIDATES.iter().map(PathBuf::from).find(|p| p.is_file())
}

/// A block of addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Parses `a.b.c.d`, `a.b.c.d/n` or their IPv6 forms; the error says why it is not one.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| format!("{text:?} is not an IP address or CIDR block"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => {
                p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(|| format!("{text:?} has a bad prefix"))?
            }
        };
        Ok(Self { addr, prefix })
    }

    /// The rule selecting packets to this block.
    fn selector(&self) -> String {
        let family = if self.addr.is_ipv4() { "ip" } else { "ip6" };
        // nft refuses a prefix whose host bits are set: the block is written by its network address.
        let net = match self.addr {
            IpAddr::V4(a) => {
                let mask = if self.prefix == 0 { 0 } else { u32::MAX << (32 - self.prefix) };
                IpAddr::from((u32::from(a) & mask).to_be_bytes())
            }
            IpAddr::V6(a) => {
                let mask = if self.prefix == 0 { 0 } else { u128::MAX << (128 - self.prefix) };
                IpAddr::from((u128::from(a) & mask).to_be_bytes())
            }
        };
        format!("{family} daddr {net}/{}", self.prefix)
    }
}

/// The egress rules of a sandbox.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Egress {
    /// Always allowed.
    pub allow: Vec<Cidr>,
    /// Refused, unless allowed.
    pub deny: Vec<Cidr>,
}

/// The nftables script that replaces the sandbox's table with `egress` in one transaction.
pub fn script(egress: &Egress) -> String {
    // Replies (of connections made to the sandbox's own services, too) are never egress.
    let mut rules = vec!["ct state established,related accept".to_string()];
    rules.push(format!("{} reject", Cidr::parse(LINK_LOCAL).expect("a CIDR").selector()));
    rules.extend(egress.allow.iter().map(|c| format!("{} accept", c.selector())));
    rules.extend(egress.deny.iter().map(|c| format!("{} reject", c.selector())));
    let body: String = rules.iter().map(|r| format!("    {r}\n")).collect();
    // Adding the table first makes deleting it succeed whether or not it was there.
    format!(
        "table inet e2b\ndelete table inet e2b\ntable inet e2b {{\n  chain egress {{\n    type filter hook output priority 0; policy accept;\n{body}  }}\n}}\n"
    )
}

/// Installs `egress` in the network namespace `net_ns`, replacing what was there.
pub async fn apply(nft: &Path, net_ns: BorrowedFd<'_>, egress: &Egress) -> std::io::Result<()> {
    let mut cmd = tokio::process::Command::new(nft);
    cmd.args(["-f", "-"]).env_clear().kill_on_drop(true);
    cmd.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped());
    let ns = net_ns.as_raw_fd();
    // SAFETY: only setns (async-signal-safe) runs between fork and exec; the descriptor is open
    // in the child until exec.
    unsafe {
        cmd.as_std_mut().pre_exec(move || {
            if libc::setns(ns, libc::CLONE_NEWNET) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = super::reaper::spawn(&mut cmd)?;
    let pid = child.id();
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(script(egress).as_bytes()).await?;
    }
    let out = child.wait_with_output().await;
    super::reaper::waited(pid);
    let out = out?;
    if out.status.success() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!("nft: {}", String::from_utf8_lossy(&out.stderr).trim())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_parse_as_nft_writes_them() {
        assert_eq!(Cidr::parse("8.8.8.8").unwrap().selector(), "ip daddr 8.8.8.8/32");
        assert_eq!(Cidr::parse("10.1.2.3/8").unwrap().selector(), "ip daddr 10.0.0.0/8");
        assert_eq!(Cidr::parse("0.0.0.0/0").unwrap().selector(), "ip daddr 0.0.0.0/0");
        assert_eq!(Cidr::parse("::/0").unwrap().selector(), "ip6 daddr ::/0");
        assert_eq!(Cidr::parse("2001:db8::1/32").unwrap().selector(), "ip6 daddr 2001:db8::/32");
        for bad in ["example.com", "1.2.3.4/33", "1.2.3.4/x", "", "::/129"] {
            assert!(Cidr::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn link_local_goes_first_then_allowed_then_denied() {
        let egress =
            Egress { allow: vec![Cidr::parse("127.0.0.1").unwrap()], deny: vec![Cidr::parse("127.0.0.0/8").unwrap()] };
        let s = script(&egress);
        let at = |needle: &str| s.find(needle).unwrap_or_else(|| panic!("{needle} in {s}"));
        assert!(at("ct state established,related accept") < at("169.254.0.0/16 reject"));
        assert!(at("169.254.0.0/16 reject") < at("127.0.0.1/32 accept"));
        assert!(at("127.0.0.1/32 accept") < at("127.0.0.0/8 reject"));
        assert!(s.starts_with("table inet e2b\ndelete table inet e2b\n"), "{s}");
        assert!(script(&Egress::default()).contains("169.254.0.0/16 reject"));
    }
}
