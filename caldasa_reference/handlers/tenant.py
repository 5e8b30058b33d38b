"""The current tenant (§3.13)."""

from __future__ import annotations

from caldasa_reference.routing import Reply, RequestContext, operation


@operation("getCurrentTenant")
def get_current_tenant(ctx: RequestContext) -> Reply:
    return ctx.ok(ctx.tenant.dto())
