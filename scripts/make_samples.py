"""Generate the sample interviews shipped in recordings/.

Each interview is a stereo recording: the interviewer on the left channel, the customer on the
right, spoken by espeak-ng with different voices. Customers raise overlapping pain points and
requests so that themes emerge. Needs espeak-ng on PATH (Debian: `apt-get install espeak-ng`);
encodes with PyAV. Run: `.venv/bin/python scripts/make_samples.py` (overwrites the samples).
"""

from __future__ import annotations

import csv
import subprocess
import tempfile
import wave
from pathlib import Path

import av
import numpy as np

RATE = 22050
GAP_S = 0.45
OUT = Path(__file__).resolve().parent.parent / "recordings"

# (file, customer, company, interviewer, plan, region, role, customer voice, [(speaker, text)])
# "I" lines are the interviewer, "C" lines the customer.
INTERVIEWS = [
    ("acme-logistics.ogg", "Maria Lopez", "Acme Logistics", "Sam Carter", "Enterprise", "EMEA",
     "Operations Director", "en-us+f3", [
         ("I", "Thanks for joining. How has the rollout gone for your team so far?"),
         ("C", "Honestly, the onboarding was smooth and your support team answered every ticket within an hour."),
         ("I", "What is the most frustrating part of your week with the product?"),
         ("C", "The dashboards are painfully slow. Every Monday the main report takes two or three minutes to load, and my managers just give up."),
         ("I", "How do you share the numbers with finance?"),
         ("C", "We export everything to Excel by hand. It would be great if we could schedule a CSV export to run every night."),
         ("I", "Anything else you would change?"),
         ("C", "We really need single sign-on with Okta. Managing passwords for two hundred people is a nightmare for our IT team."),
         ("I", "Thank you, that is really helpful."),
         ("I", "How do your drivers use it on the road?"),
         ("C", "They try to use it on their phones, but the mobile view is almost unusable. The charts do not fit on the screen and the buttons are tiny."),
         ("I", "How do you decide who can see what?"),
         ("C", "Permissions are a real headache. I cannot give a regional manager access to only their region, so either they see everything or nothing."),
         ("I", "If you could fix one thing tomorrow, what would it be?"),
         ("C", "Speed. If the dashboards loaded in a few seconds, my managers would open them every morning instead of asking me for screenshots."),
     ]),
    ("brightpath-health.ogg", "Daniel Kim", "BrightPath Health", "Sam Carter", "Enterprise", "North America",
     "IT Manager", "en-us+m3", [
         ("I", "Can you walk me through how your team uses the product today?"),
         ("C", "We track every patient intake project in it, and the timeline view is genuinely great."),
         ("I", "Where does it get in your way?"),
         ("C", "Performance is the big problem. Loading a dashboard with a few thousand rows freezes the browser, and we waste a lot of time waiting."),
         ("I", "What about security and access?"),
         ("C", "Our security team keeps asking for single sign-on. Without SAML login we cannot roll it out to the whole hospital."),
         ("I", "Is there a feature you are missing?"),
         ("C", "I wish there was an integration with Salesforce, because right now we copy the account data over manually."),
         ("I", "Great, thanks for your time."),
         ("I", "How did the first weeks go?"),
         ("C", "Your onboarding specialist was fantastic. She set up our first workspace with us and trained the nurses in one session."),
         ("I", "How do your managers get their numbers?"),
         ("C", "They ask me for a spreadsheet every week. Being able to export a dashboard to Excel automatically would save me half a day."),
         ("I", "Do people use it on mobile?"),
         ("C", "Not really. The phone app crashes when you open a large report, so nobody trusts it on the ward."),
     ]),
    ("cobalt-retail.m4a", "Priya Shah", "Cobalt Retail", "Jordan Lee", "Pro", "APAC",
     "Head of Analytics", "en-gb+f4", [
         ("I", "What made you choose us in the first place?"),
         ("C", "The price was fair for a small team, and setup took one afternoon."),
         ("I", "What is the hardest part of using it now?"),
         ("C", "Getting data out is hard. I need to export reports to a spreadsheet every week, and there is no way to automate the export."),
         ("I", "How is the speed of the app?"),
         ("C", "The reports load very slowly when we filter by region. Sometimes it takes a full minute, which is frustrating."),
         ("I", "Anything you would like us to build next?"),
         ("C", "A Slack integration would be great, so my team gets an alert when a number changes."),
         ("I", "Who else on your team uses it?"),
         ("C", "Only three of us, because adding more seats is too expensive for a company our size. The price per user doubles our tool budget."),
         ("I", "How is access control working for you?"),
         ("C", "I would love more granular permissions. Our store managers should only see their own store, and today I cannot set that up."),
         ("I", "Anything you are happy with?"),
         ("C", "Your support team is excellent. When our import broke, they fixed it the same day and explained exactly what happened."),
     ]),
    ("delta-fintech.m4a", "Tom Becker", "Delta Fintech", "Jordan Lee", "Pro", "EMEA",
     "Product Lead", "en-us+m7", [
         ("I", "How often do you use the product?"),
         ("C", "Every day. I love how easy it is to build a new chart, my whole team picked it up in a week."),
         ("I", "What slows you down?"),
         ("C", "The pricing per seat is too expensive for us. We cannot afford to give every analyst a license, so people share logins."),
         ("I", "How do you get reports to other teams?"),
         ("C", "We have to download a CSV and email it around. Scheduled exports to Excel would save me hours every month."),
         ("I", "What would make you recommend us?"),
         ("C", "Honestly, faster dashboards. Right now the main dashboard takes forever to load in the morning."),
         ("I", "How do you log in today?"),
         ("C", "Our compliance team requires single sign-on. We need SAML with Azure Active Directory before we can add the risk team."),
         ("I", "Do you connect it to other tools?"),
         ("C", "We would really like a Salesforce integration. Our sales numbers live there, and we paste them in manually every week."),
         ("I", "Anything else that gets in your way?"),
         ("C", "The filters are slow. When I change the date range, the whole page reloads and I wait for almost a minute."),
     ]),
    ("evergreen-energy.ogg", "Aisha Bello", "Evergreen Energy", "Sam Carter", "Starter", "EMEA",
     "Finance Analyst", "en-us+f2", [
         ("I", "Tell me about your first month with the product."),
         ("C", "The support team was amazing. They helped us import our old data on the first call."),
         ("I", "Is there anything that annoys you?"),
         ("C", "The cost per user is too high for a small company like ours. We had to remove three people to stay within budget."),
         ("I", "How do you connect it to your other tools?"),
         ("C", "It would be really helpful to have a Salesforce integration, so we stop copying customer records by hand."),
         ("I", "And how is the speed?"),
         ("C", "Dashboards are slow in the afternoon. It can take a minute before the charts load."),
         ("I", "How do you share results with your board?"),
         ("C", "I export the charts to a spreadsheet by hand every month. A scheduled export to Excel would make my life much easier."),
         ("I", "Is there anything you would like in the mobile app?"),
         ("C", "The mobile app is too limited. I cannot see the dashboards on my phone when I am visiting a site, which is frustrating."),
         ("I", "Would you recommend us?"),
         ("C", "Yes. The product is easy to learn, and the support team always answers quickly and kindly."),
     ]),
    ("fjord-software.m4a", "Lars Nilsen", "Fjord Software", "Jordan Lee", "Enterprise", "EMEA",
     "VP Engineering", "en-us+m1", [
         ("I", "What problem were you hoping we would solve?"),
         ("C", "We wanted one place for all our delivery metrics, and the charts you give us are excellent."),
         ("I", "What is getting in the way of a wider rollout?"),
         ("C", "Single sign-on is a hard requirement for us. Our IT policy does not allow separate passwords, so we need Okta or Azure login."),
         ("I", "How do you share numbers with leadership?"),
         ("C", "We export the data to Excel every Friday by hand. An automatic export would save my team a lot of time."),
         ("I", "Any other pain points?"),
         ("C", "Please add a Slack integration. We want alerts in our channels instead of checking the dashboard all day."),
         ("I", "How do your managers feel about the speed?"),
         ("C", "They complain that the dashboards load slowly. A big board with twenty charts takes more than a minute to render."),
         ("I", "What about pricing?"),
         ("C", "The per seat price is expensive once you pass fifty users. We are already discussing whether the cost is worth it next year."),
         ("I", "Anything you would keep exactly as it is?"),
         ("C", "The chart builder. It is simple and powerful, and new engineers learn it in an hour."),
     ]),
    ("greenleaf-media.ogg", "Nora Walsh", "Greenleaf Media", "Sam Carter", "Pro", "North America",
     "Marketing Operations", "en-us+f1", [
         ("I", "What does a normal week with the product look like for you?"),
         ("C", "I build the campaign dashboards on Monday. The drag and drop editor is lovely and I never need help from engineering."),
         ("I", "What is frustrating about it?"),
         ("C", "Loading time. Our campaign dashboard takes ages to load, and the agency partners think our data is broken."),
         ("I", "How do you share reports with clients?"),
         ("C", "There is no good way to export. I need a PDF or CSV export that runs on a schedule, because I copy the numbers into emails by hand."),
         ("I", "Do you use other tools alongside it?"),
         ("C", "HubSpot and Slack. A Slack integration with daily summaries would be a huge win for my team."),
         ("I", "How do you feel about the price?"),
         ("C", "It is too expensive for what we use. We pay for ten seats, and half of them are just people who read the reports."),
         ("I", "Thanks so much, this was great."),
     ]),
]
INTERVIEWER_VOICES = {"Sam Carter": "en-gb+m3", "Jordan Lee": "en-us+f5"}


def speak(text: str, voice: str) -> np.ndarray:
    with tempfile.NamedTemporaryFile(suffix=".wav") as tmp:
        subprocess.run(["espeak-ng", "-v", voice, "-s", "165", "-w", tmp.name, text], check=True)
        with wave.open(tmp.name) as w:
            assert w.getframerate() == RATE, w.getframerate()
            pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    return pcm.astype(np.float32) / 32768.0


def stereo_dialogue(turns, interviewer_voice: str, customer_voice: str) -> np.ndarray:
    left, right = [], []
    for who, text in turns:
        voice = interviewer_voice if who == "I" else customer_voice
        pcm = np.concatenate([speak(text, voice), np.zeros(int(GAP_S * RATE), np.float32)])
        silence = np.zeros_like(pcm)
        left.append(pcm if who == "I" else silence)
        right.append(silence if who == "I" else pcm)
    return np.stack([np.concatenate(left), np.concatenate(right)])


def encode(samples: np.ndarray, path: Path) -> None:
    codec, bitrate = ("libopus", 48000) if path.suffix == ".ogg" else ("aac", 40000)
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=48000 if codec == "libopus" else RATE)
        stream.bit_rate = bitrate
        stream.layout = "stereo"
        frame = av.AudioFrame.from_ndarray(samples.astype(np.float32), format="fltp", layout="stereo")
        frame.sample_rate = RATE
        resampler = av.AudioResampler(format=stream.format.name, layout="stereo", rate=stream.rate)
        for resampled in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(resampled):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


# Contact columns for follow-ups (`voc export followups`): made-up addresses on the reserved .example domain.
CONTACTS = {
    "acme-logistics.ogg": ("maria.lopez@acme-logistics.example", "Alex Morgan"),
    "brightpath-health.ogg": ("daniel.kim@brightpath.example", "Alex Morgan"),
    "cobalt-retail.m4a": ("priya@cobalt-retail.example", "Riley Chen"),
    "delta-fintech.m4a": ("tom.becker@deltafintech.example", "Riley Chen"),
    "evergreen-energy.ogg": ("aisha.bello@evergreen.example", "Alex Morgan"),
    "fjord-software.m4a": ("lars@fjord-software.example", "Riley Chen"),
    "greenleaf-media.ogg": ("nora.walsh@greenleaf.example", "Alex Morgan"),
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    rows = []
    for file, customer, company, interviewer, plan, region, role, voice, turns in INTERVIEWS:
        audio = stereo_dialogue(turns, INTERVIEWER_VOICES[interviewer], voice)
        encode(audio, OUT / file)
        rows.append({"file": file, "customer": customer, "company": company, "interviewer": interviewer,
                     "plan": plan, "region": region, "role": role,
                     "email": CONTACTS[file][0], "owner": CONTACTS[file][1]})
        print(f"{file}: {audio.shape[1] / RATE:.0f} s")
    with open(OUT / "participants.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
