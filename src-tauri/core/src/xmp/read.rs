//! Reading face regions from XMP as other tools write it: MWG regions in attribute or element
//! form (`rdf:parseType="Resource"` or nested `rdf:Description`), in a `rdf:Bag` or `rdf:Seq`;
//! Microsoft `MP:RegionInfo` when there are no MWG regions. Boxes covering the whole image are
//! not faces and are skipped. The document is parsed into a small bounded tree first, because
//! RDF allows the same property as an attribute or as an element.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use super::{XmpError, MAX_XMP_BYTES};
use crate::region::Region;

const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const MWG_RS: &str = "http://www.metadataworkinggroup.com/schemas/regions/";
const ST_AREA: &str = "http://ns.adobe.com/xmp/sType/Area#";
const MP: &str = "http://ns.microsoft.com/photo/1.2/";
const MP_RI: &str = "http://ns.microsoft.com/photo/1.2/t/RegionInfo#";
const MP_REG: &str = "http://ns.microsoft.com/photo/1.2/t/Region#";

const MAX_DEPTH: usize = 64;
const MAX_NODES: usize = 100_000;
const MAX_REGIONS: usize = 2_000;

/// A face region another tool wrote: normalized, top-left, in STORED-image space.
#[derive(Debug, Clone, PartialEq)]
pub struct XmpRegion {
    pub area: Region,
    pub name: Option<String>,
}

#[derive(Debug, Default)]
struct Node {
    ns: String,
    name: String,
    attrs: Vec<(String, String, String)>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn is(&self, ns: &str, name: &str) -> bool {
        self.ns == ns && self.name == name
    }

    /// Child elements, looking through `rdf:Description` wrappers.
    fn fields(&self) -> Vec<&Node> {
        let mut out = Vec::new();
        for c in &self.children {
            if c.is(RDF, "Description") {
                out.extend(c.fields());
            } else {
                out.push(c);
            }
        }
        out
    }

    fn attrs_deep(&self) -> Vec<&(String, String, String)> {
        let mut out: Vec<_> = self.attrs.iter().collect();
        for c in &self.children {
            if c.is(RDF, "Description") {
                out.extend(c.attrs_deep());
            }
        }
        out
    }

    /// A simple property, as an attribute or as an element's text.
    fn prop(&self, ns: &str, name: &str) -> Option<String> {
        if let Some((_, _, v)) = self
            .attrs_deep()
            .into_iter()
            .find(|(a, b, _)| a == ns && b == name)
        {
            return Some(v.clone());
        }
        self.fields()
            .into_iter()
            .find(|c| c.is(ns, name))
            .map(|c| c.text.trim().to_string())
            .filter(|t| !t.is_empty())
    }

    fn child(&self, ns: &str, name: &str) -> Option<&Node> {
        self.fields().into_iter().find(|c| c.is(ns, name))
    }

    /// The `rdf:li` items of a Bag, Seq or Alt property.
    fn items(&self) -> Vec<&Node> {
        self.fields()
            .into_iter()
            .filter(|c| c.ns == RDF && matches!(c.name.as_str(), "Bag" | "Seq" | "Alt"))
            .flat_map(|list| list.children.iter().filter(|li| li.is(RDF, "li")))
            .collect()
    }

    fn find_all<'a>(&'a self, ns: &str, name: &str, out: &mut Vec<&'a Node>) {
        if self.is(ns, name) {
            out.push(self);
        }
        for c in &self.children {
            c.find_all(ns, name, out);
        }
    }
}

fn parse(xmp: &[u8]) -> Result<Node, XmpError> {
    if xmp.len() > MAX_XMP_BYTES {
        return Err(XmpError::TooLarge(xmp.len()));
    }
    let text = String::from_utf8_lossy(xmp);
    let mut reader = NsReader::from_str(&text);
    let malformed = |e: &dyn std::fmt::Display| XmpError::Malformed(e.to_string());
    let mut stack: Vec<Node> = vec![Node::default()];
    let mut nodes = 0usize;
    loop {
        let (resolved, event) = reader.read_resolved_event().map_err(|e| malformed(&e))?;
        let ns = match resolved {
            ResolveResult::Bound(ns) => String::from_utf8_lossy(ns.as_ref()).into_owned(),
            _ => String::new(),
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                nodes += 1;
                if nodes > MAX_NODES || stack.len() > MAX_DEPTH {
                    return Err(XmpError::Malformed("too deeply nested or too large".into()));
                }
                let mut node = Node {
                    ns,
                    name: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
                    ..Node::default()
                };
                for a in e.attributes().flatten() {
                    let (ans, local) = reader.resolve_attribute(a.key);
                    let ans = match ans {
                        ResolveResult::Bound(n) => String::from_utf8_lossy(n.as_ref()).into_owned(),
                        _ => String::new(),
                    };
                    let value = a
                        .unescape_value()
                        .map(|v| v.into_owned())
                        .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned());
                    node.attrs.push((
                        ans,
                        String::from_utf8_lossy(local.as_ref()).into_owned(),
                        value,
                    ));
                }
                if matches!(event, Event::Start(_)) {
                    stack.push(node);
                } else if let Some(parent) = stack.last_mut() {
                    parent.children.push(node);
                }
            }
            Event::End(_) => {
                if stack.len() < 2 {
                    return Err(XmpError::Malformed("unbalanced end tag".into()));
                }
                let node = stack.pop().unwrap_or_default();
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(node);
                }
            }
            Event::Text(t) => {
                if let (Some(top), Ok(s)) = (stack.last_mut(), t.decode()) {
                    top.text.push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(top) = stack.last_mut() {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        top.text.push(c);
                    } else if let Ok(name) = r.decode() {
                        let c = match name.as_ref() {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        };
                        top.text.extend(c);
                    }
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Unclosed elements at the end: keep what was read, as readers of damaged files do.
    while stack.len() > 1 {
        let node = stack.pop().unwrap_or_default();
        if let Some(parent) = stack.last_mut() {
            parent.children.push(node);
        }
    }
    Ok(stack.pop().unwrap_or_default())
}

fn number(s: Option<String>) -> Option<f64> {
    s.and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite())
}

/// Keeps a box that is a plausible face: inside the image, not empty, not the whole image.
fn plausible(r: Region) -> Option<Region> {
    let r = r.clamped_unit();
    let whole = r.w >= 0.98 && r.h >= 0.98;
    (r.w > 0.0 && r.h > 0.0 && !whole).then_some(r)
}

/// The face regions of an XMP packet (sidecar or embedded), in stored-image space.
pub fn read_regions(xmp: &[u8]) -> Result<Vec<XmpRegion>, XmpError> {
    let root = parse(xmp)?;
    let mut found = Vec::new();
    let mut regions = Vec::new();
    root.find_all(MWG_RS, "Regions", &mut regions);
    for list in regions.iter().filter_map(|r| r.child(MWG_RS, "RegionList")) {
        for li in list.items().into_iter().take(MAX_REGIONS) {
            let kind = li.prop(MWG_RS, "Type");
            if kind
                .as_deref()
                .is_some_and(|k| !k.eq_ignore_ascii_case("face"))
            {
                continue;
            }
            let Some(area) = li.child(MWG_RS, "Area") else {
                continue;
            };
            let unit = area.prop(ST_AREA, "unit");
            if unit.as_deref().is_some_and(|u| u != "normalized") {
                continue;
            }
            let (Some(cx), Some(cy), Some(w), Some(h)) = (
                number(area.prop(ST_AREA, "x")),
                number(area.prop(ST_AREA, "y")),
                number(area.prop(ST_AREA, "w")),
                number(area.prop(ST_AREA, "h")),
            ) else {
                continue;
            };
            let r = Region {
                x: cx - w / 2.0,
                y: cy - h / 2.0,
                w,
                h,
            };
            if let Some(area) = plausible(r) {
                found.push(XmpRegion {
                    area,
                    name: li.prop(MWG_RS, "Name").filter(|n| !n.trim().is_empty()),
                });
            }
        }
    }
    if !found.is_empty() {
        return Ok(found);
    }
    let mut infos = Vec::new();
    root.find_all(MP, "RegionInfo", &mut infos);
    for regions in infos.iter().filter_map(|i| i.child(MP_RI, "Regions")) {
        for li in regions.items().into_iter().take(MAX_REGIONS) {
            let Some(rect) = li.prop(MP_REG, "Rectangle") else {
                continue;
            };
            let v: Vec<f64> = rect
                .split(',')
                .filter_map(|p| p.trim().parse().ok())
                .collect();
            let [x, y, w, h] = v[..] else { continue };
            if let Some(area) = plausible(Region { x, y, w, h }) {
                found.push(XmpRegion {
                    area,
                    name: li
                        .prop(MP_REG, "PersonDisplayName")
                        .filter(|n| !n.trim().is_empty()),
                });
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ATTRIBUTE_FORM: &str = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
 <rdf:Description rdf:about="" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
   xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#" xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#">
  <mwg-rs:Regions rdf:parseType="Resource">
   <mwg-rs:AppliedToDimensions stDim:w="4000" stDim:h="3000" stDim:unit="pixel"/>
   <mwg-rs:RegionList><rdf:Seq>
    <rdf:li><rdf:Description mwg-rs:Name="octocat" mwg-rs:Type="Face">
      <mwg-rs:Area stArea:x="0.5" stArea:y="0.4" stArea:w="0.1" stArea:h="0.2" stArea:unit="normalized"/>
    </rdf:Description></rdf:li>
    <rdf:li><rdf:Description mwg-rs:Name="Whole" mwg-rs:Type="Face">
      <mwg-rs:Area stArea:x="0.5" stArea:y="0.5" stArea:w="1" stArea:h="1" stArea:unit="normalized"/>
    </rdf:Description></rdf:li>
    <rdf:li><rdf:Description mwg-rs:Name="a pet" mwg-rs:Type="Pet">
      <mwg-rs:Area stArea:x="0.2" stArea:y="0.2" stArea:w="0.1" stArea:h="0.1" stArea:unit="normalized"/>
    </rdf:Description></rdf:li>
   </rdf:Seq></mwg-rs:RegionList>
  </mwg-rs:Regions>
 </rdf:Description></rdf:RDF></x:xmpmeta>"#;

    const ELEMENT_FORM: &str = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
 <rdf:Description rdf:about="" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
   xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#">
  <mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag>
   <rdf:li rdf:parseType="Resource">
    <mwg-rs:Area rdf:parseType="Resource"><stArea:x>0.25</stArea:x><stArea:y>0.5</stArea:y>
      <stArea:w>0.1</stArea:w><stArea:h>0.2</stArea:h><stArea:unit>normalized</stArea:unit></mwg-rs:Area>
    <mwg-rs:Type>Face</mwg-rs:Type><mwg-rs:Name>Li &amp; Xiang 李想</mwg-rs:Name>
   </rdf:li>
  </rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>
 </rdf:Description></rdf:RDF></x:xmpmeta>"#;

    const MICROSOFT: &str = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
 <rdf:Description rdf:about="" xmlns:MP="http://ns.microsoft.com/photo/1.2/"
   xmlns:MPRI="http://ns.microsoft.com/photo/1.2/t/RegionInfo#" xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#">
  <MP:RegionInfo rdf:parseType="Resource"><MPRI:Regions><rdf:Bag>
   <rdf:li MPReg:Rectangle="0.1, 0.2, 0.05, 0.1" MPReg:PersonDisplayName="Kevin Wang"/>
  </rdf:Bag></MPRI:Regions></MP:RegionInfo>
 </rdf:Description></rdf:RDF></x:xmpmeta>"#;

    fn close(a: Region, b: Region) -> bool {
        [(a.x, b.x), (a.y, b.y), (a.w, b.w), (a.h, b.h)]
            .iter()
            .all(|(p, q)| (p - q).abs() < 1e-9)
    }

    #[test]
    fn attribute_form_in_a_seq_skips_whole_image_and_non_faces() {
        let r = read_regions(ATTRIBUTE_FORM.as_bytes()).unwrap();
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].name.as_deref(), Some("octocat"));
        assert!(close(
            r[0].area,
            Region {
                x: 0.45,
                y: 0.3,
                w: 0.1,
                h: 0.2
            }
        ));
    }

    #[test]
    fn element_form_in_a_bag_keeps_escaped_and_cjk_names() {
        let r = read_regions(ELEMENT_FORM.as_bytes()).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].name.as_deref(), Some("Li & Xiang 李想"));
        assert!(close(
            r[0].area,
            Region {
                x: 0.2,
                y: 0.4,
                w: 0.1,
                h: 0.2
            }
        ));
    }

    #[test]
    fn microsoft_regions_are_the_fallback() {
        let r = read_regions(MICROSOFT.as_bytes()).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].name.as_deref(), Some("Kevin Wang"));
        assert!(close(
            r[0].area,
            Region {
                x: 0.1,
                y: 0.2,
                w: 0.05,
                h: 0.1
            }
        ));
    }

    #[test]
    fn broken_xmp_is_an_error_or_nothing_never_a_panic() {
        for bad in [
            &b"<x:xmpmeta><rdf:RDF"[..],
            b"\xff\xfe garbage \x00\x01",
            b"</a></b>",
            b"",
        ] {
            if let Ok(r) = read_regions(bad) {
                assert!(r.is_empty());
            }
        }
        let deep = "<a>".repeat(10_000);
        assert!(read_regions(deep.as_bytes()).is_err());
        let number = ATTRIBUTE_FORM.replace("stArea:x=\"0.5\"", "stArea:x=\"NaN\"");
        assert!(read_regions(number.as_bytes()).unwrap().is_empty());
    }
}
