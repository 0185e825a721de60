package provider

// The attributes every resource that belongs to one bot shares: its bot_id
// argument, and the id that terraform import takes.

import (
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// botIDArgument is the bot_id argument of a resource that belongs to one
// bot: required, checked at plan time, and replacing the resource when it
// changes, since nothing of a bot moves to another. description says what
// the change does.
func botIDArgument(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description,
		Required:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
		Validators:          []validator.String{botIDValidator},
	}
}

// importIDAttribute is the id of a resource imported by format, such as
// `{bot_id}/{user_id}`: computed at create, and kept since every part of it
// replaces the resource.
func importIDAttribute(format string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "`" + format + "`, as `terraform import` takes it.",
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}
