//! Writing a sidecar: MWG regions (center-based, normalized, stored-image space, with the stored
//! size they apply to), IPTC Extension `PersonInImage` and `PersonInImageWDetails` (PersonId =
//! GitHub profile URL), and `dc:subject` keywords. Every value is escaped by quick-xml.

use std::io::Cursor;

use quick_xml::events::{BytesEnd, BytesPI, BytesStart, BytesText, Event};
use quick_xml::Writer;

use super::XmpError;
use crate::login::profile_url;
use crate::region::Region;

/// A face to write: normalized top-left box in STORED space, and the login, if it may be named.
#[derive(Debug, Clone, PartialEq)]
pub struct SidecarRegion {
    pub area: Region,
    pub login: Option<String>,
}

/// Someone named on the photo.
#[derive(Debug, Clone, PartialEq)]
pub struct SidecarPerson {
    pub login: String,
    pub name: Option<String>,
}

struct Xml(Writer<Cursor<Vec<u8>>>);

impl Xml {
    fn event(&mut self, e: Event<'_>) -> Result<(), XmpError> {
        self.0
            .write_event(e)
            .map_err(|e| XmpError::Write(e.to_string()))
    }
    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<(), XmpError> {
        let mut start = BytesStart::new(name);
        for (k, v) in attrs {
            start.push_attribute((*k, *v));
        }
        self.event(Event::Start(start))
    }
    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<(), XmpError> {
        let mut start = BytesStart::new(name);
        for (k, v) in attrs {
            start.push_attribute((*k, *v));
        }
        self.event(Event::Empty(start))
    }
    fn close(&mut self, name: &str) -> Result<(), XmpError> {
        self.event(Event::End(BytesEnd::new(name)))
    }
    fn text_element(
        &mut self,
        name: &str,
        attrs: &[(&str, &str)],
        text: &str,
    ) -> Result<(), XmpError> {
        self.open(name, attrs)?;
        self.event(Event::Text(BytesText::new(text)))?;
        self.close(name)
    }
    fn bag(&mut self, name: &str, items: &[String]) -> Result<(), XmpError> {
        self.open(name, &[])?;
        self.open("rdf:Bag", &[])?;
        for item in items {
            self.text_element("rdf:li", &[], item)?;
        }
        self.close("rdf:Bag")?;
        self.close(name)
    }
}

fn num(v: f64) -> String {
    format!("{:.6}", v.clamp(0.0, 1.0))
}

/// The sidecar for a photo whose stored pixels are `stored_width` x `stored_height`.
pub fn sidecar_xmp(
    stored_width: u32,
    stored_height: u32,
    regions: &[SidecarRegion],
    people: &[SidecarPerson],
) -> Result<Vec<u8>, XmpError> {
    let mut x = Xml(Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 1));
    x.event(Event::PI(BytesPI::new(
        "xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"",
    )))?;
    x.open(
        "x:xmpmeta",
        &[("xmlns:x", "adobe:ns:meta/"), ("x:xmptk", "whoiswho")],
    )?;
    x.open(
        "rdf:RDF",
        &[("xmlns:rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#")],
    )?;
    x.open(
        "rdf:Description",
        &[
            ("rdf:about", ""),
            ("xmlns:xmp", "http://ns.adobe.com/xap/1.0/"),
            (
                "xmlns:mwg-rs",
                "http://www.metadataworkinggroup.com/schemas/regions/",
            ),
            (
                "xmlns:stDim",
                "http://ns.adobe.com/xap/1.0/sType/Dimensions#",
            ),
            ("xmlns:stArea", "http://ns.adobe.com/xmp/sType/Area#"),
            (
                "xmlns:Iptc4xmpExt",
                "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
            ),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmp:CreatorTool", "whoiswho"),
        ],
    )?;

    x.open("mwg-rs:Regions", &[("rdf:parseType", "Resource")])?;
    let (w, h) = (stored_width.to_string(), stored_height.to_string());
    x.empty(
        "mwg-rs:AppliedToDimensions",
        &[("stDim:w", &w), ("stDim:h", &h), ("stDim:unit", "pixel")],
    )?;
    x.open("mwg-rs:RegionList", &[])?;
    x.open("rdf:Bag", &[])?;
    for r in regions {
        x.open("rdf:li", &[("rdf:parseType", "Resource")])?;
        let (cx, cy) = (
            num(r.area.x + r.area.w / 2.0),
            num(r.area.y + r.area.h / 2.0),
        );
        let (aw, ah) = (num(r.area.w), num(r.area.h));
        x.empty(
            "mwg-rs:Area",
            &[
                ("stArea:x", &cx),
                ("stArea:y", &cy),
                ("stArea:w", &aw),
                ("stArea:h", &ah),
                ("stArea:unit", "normalized"),
            ],
        )?;
        x.text_element("mwg-rs:Type", &[], "Face")?;
        if let Some(login) = &r.login {
            x.text_element("mwg-rs:Name", &[], login)?;
        }
        x.close("rdf:li")?;
    }
    x.close("rdf:Bag")?;
    x.close("mwg-rs:RegionList")?;
    x.close("mwg-rs:Regions")?;

    if !people.is_empty() {
        let names: Vec<String> = people
            .iter()
            .map(|p| p.name.clone().unwrap_or_else(|| p.login.clone()))
            .collect();
        x.bag("Iptc4xmpExt:PersonInImage", &names)?;
        x.open("Iptc4xmpExt:PersonInImageWDetails", &[])?;
        x.open("rdf:Bag", &[])?;
        for (p, name) in people.iter().zip(&names) {
            x.open("rdf:li", &[("rdf:parseType", "Resource")])?;
            x.open("Iptc4xmpExt:PersonName", &[])?;
            x.open("rdf:Alt", &[])?;
            x.text_element("rdf:li", &[("xml:lang", "x-default")], name)?;
            x.close("rdf:Alt")?;
            x.close("Iptc4xmpExt:PersonName")?;
            x.bag("Iptc4xmpExt:PersonId", &[profile_url(&p.login)])?;
            x.close("rdf:li")?;
        }
        x.close("rdf:Bag")?;
        x.close("Iptc4xmpExt:PersonInImageWDetails")?;
        let logins: Vec<String> = people.iter().map(|p| p.login.clone()).collect();
        x.bag("dc:subject", &logins)?;
    }
    x.close("rdf:Description")?;
    x.close("rdf:RDF")?;
    x.close("x:xmpmeta")?;
    x.event(Event::PI(BytesPI::new("xpacket end=\"w\"")))?;
    Ok(x.0.into_inner().into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xmp::read_regions;

    #[test]
    fn what_is_written_reads_back_and_hostile_names_stay_text() {
        let area = Region {
            x: 0.2,
            y: 0.3,
            w: 0.1,
            h: 0.2,
        };
        let xmp = sidecar_xmp(
            4000,
            3000,
            &[
                SidecarRegion {
                    area,
                    login: Some("octocat".into()),
                },
                SidecarRegion { area, login: None },
            ],
            &[SidecarPerson {
                login: "octocat".into(),
                name: Some("Mona \"<script>\" & Lisa".into()),
            }],
        )
        .unwrap();
        let text = String::from_utf8(xmp.clone()).unwrap();
        assert!(!text.contains("<script>"), "{text}");
        let back = read_regions(&xmp).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].name.as_deref(), Some("octocat"));
        assert_eq!(back[1].name, None);
        assert!((back[0].area.x - 0.2).abs() < 1e-6 && (back[0].area.h - 0.2).abs() < 1e-6);
    }
}
