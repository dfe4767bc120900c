"""The command groups (typer apps); each module of arende.cli adds its commands to them."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="arende",
    help="Ärende: diarium, nämndärenden och beslut. Registrera, följ och expediera ärenden.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
remiss_app = typer.Typer(help="Remissärenden: registrera inkommen remiss och följ den till svar.", no_args_is_help=True)
audit_app = typer.Typer(
    help="Svar på revisionsrapporter: registrera rapporten och dess rekommendationer.", no_args_is_help=True
)
errand_app = typer.Typer(help="Visa och kör ärenden.", no_args_is_help=True)
organs_app = typer.Typer(help="Organ (nämnder, styrelser) och deras registerprefix.", no_args_is_help=True)
document_app = typer.Typer(help="Handlingar: registrera och lista.", no_args_is_help=True)
app.add_typer(remiss_app, name="remiss")
app.add_typer(audit_app, name="audit")
annual_app = typer.Typer(
    help="Årsredovisning: öppna ärendet för ett år och registrera årets siffror.", no_args_is_help=True
)
report_app = typer.Typer(
    help="Ärenden för beslut, t.ex. uppföljningar som hör till årsredovisningen.", no_args_is_help=True
)
app.add_typer(annual_app, name="annual-report")
iop_app = typer.Typer(help="IOP: överenskommelser om idéburet offentligt partnerskap.", no_args_is_help=True)
app.add_typer(iop_app, name="iop")
funds_app = typer.Typer(help="Donationsfonder: referensdata med ändamål och villkor.", no_args_is_help=True)
donation_app = typer.Typer(
    help="Utdelning ur de sociala donationsfonderna: ansökningar, fördelning, utbetalning.", no_args_is_help=True
)
app.add_typer(funds_app, name="funds")
app.add_typer(donation_app, name="donation")
app.add_typer(report_app, name="report")
app.add_typer(errand_app, name="errand")
app.add_typer(organs_app, name="organs")
app.add_typer(document_app, name="document")
outbox_app = typer.Typer(help="Utkorgen: e-post som väntar på att skickas.", no_args_is_help=True)
app.add_typer(outbox_app, name="outbox")
meeting_app = typer.Typer(
    help="Sammanträden: plan, föredragningslista, kallelse, närvaro, paragrafer, protokoll och anslag.",
    no_args_is_help=True,
)
app.add_typer(meeting_app, name="meeting")
member_app = typer.Typer(help="Ledamöter och ersättare per organ.", no_args_is_help=True)
app.add_typer(member_app, name="member")
anmalan_app = typer.Typer(help="Anmälningsärenden till nästa sammanträde.", no_args_is_help=True)
app.add_typer(anmalan_app, name="anmalan")
delegation_app = typer.Typer(help="Delegationsordningen och delegationsbeslut.", no_args_is_help=True)
app.add_typer(delegation_app, name="delegation")
user_app = typer.Typer(help="Webbsidans användare och roller.", no_args_is_help=True)
app.add_typer(user_app, name="user")
