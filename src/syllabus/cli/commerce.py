"""``syllabus checkout``: a student's purchase, which Thinkific's Admin API cannot make.

The same checkout as ``POST /_syllabus/sites/{subdomain}/checkout``, in one transaction on the
database: the order, the coupon's use and the enrollments commit together or not at all.
"""

from __future__ import annotations

from typing import Annotated

import orjson
import typer
from rich.markup import escape

from syllabus.cli.app import (
    DatabaseUrlOption,
    app,
    fail,
    problems_of,
    settings_for,
    unit_of_work,
)
from syllabus.context import Scope
from syllabus.errors import ApiError
from syllabus.orders.service import CheckoutService
from syllabus.sites.service import SiteError, get_site


@app.command("checkout")
def checkout_command(
    subdomain: str,
    user: Annotated[int, typer.Option("--user", help="The buyer's user id.")],
    product: Annotated[int, typer.Option("--product", help="The product's id.")],
    coupon: Annotated[
        str | None, typer.Option("--coupon", help="A coupon code to apply.", show_default=False)
    ] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Buy a product for a user: record the order and enroll them; print the order."""
    settings = settings_for(database_url)
    try:
        with unit_of_work(database_url) as session:
            scope = Scope.for_site(session, get_site(session, subdomain), settings)
            order = CheckoutService(scope).checkout(user, product, coupon)
    except SiteError as error:
        raise fail(escape(str(error))) from error
    except ApiError as error:
        raise fail(escape(problems_of(error))) from error
    typer.echo(orjson.dumps(order, option=orjson.OPT_INDENT_2).decode())
