package lineworkstest

import "slices"

// RichMenu is a rich menu as the emulator stores and answers it.
type RichMenu struct {
	RichMenuID   string         `json:"richmenuId"`
	RichMenuName string         `json:"richmenuName"`
	Size         RichMenuSize   `json:"size"`
	Areas        []RichMenuArea `json:"areas"`
}

// RichMenuSize is a rich menu's size in pixels.
type RichMenuSize struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// RichMenuBounds is the tappable rectangle of an area, in pixels from the
// menu's top left corner.
type RichMenuBounds struct {
	X      int `json:"x"`
	Y      int `json:"y"`
	Width  int `json:"width"`
	Height int `json:"height"`
}

// RichMenuArea is one tappable area of a rich menu.
type RichMenuArea struct {
	Bounds RichMenuBounds `json:"bounds"`
	Action MenuAction     `json:"action"`
}

// MenuAction is an action object (bot-actionobject) of a rich or persistent
// menu. Fields left empty were not sent and are not answered.
type MenuAction struct {
	Type             string            `json:"type"`
	Label            string            `json:"label,omitempty"`
	Data             string            `json:"data,omitempty"`
	DisplayText      string            `json:"displayText,omitempty"`
	Text             string            `json:"text,omitempty"`
	Postback         string            `json:"postback,omitempty"`
	URI              string            `json:"uri,omitempty"`
	CopyText         string            `json:"copyText,omitempty"`
	I18nLabels       []I18nLabel       `json:"i18nLabels,omitempty"`
	I18nDisplayTexts []I18nDisplayText `json:"i18nDisplayTexts,omitempty"`
	I18nTexts        []I18nText        `json:"i18nTexts,omitempty"`
}

// I18nLabel is an action label in one language.
type I18nLabel struct {
	Language string `json:"language"`
	Label    string `json:"label"`
}

// I18nDisplayText is a postback action's display text in one language.
type I18nDisplayText struct {
	Language    string `json:"language"`
	DisplayText string `json:"displayText"`
}

// I18nText is a message action's text in one language.
type I18nText struct {
	Language string `json:"language"`
	Text     string `json:"text"`
}

// RichMenuImage is the image set on a rich menu: file IDs from the upload flow.
type RichMenuImage struct {
	FileID      string       `json:"fileId"`
	I18nFileIDs []I18nFileID `json:"i18nFileIds"`
}

// I18nFileID is a rich menu image for one language.
type I18nFileID struct {
	Language string `json:"language"`
	FileID   string `json:"fileId"`
}

// PersistentMenu is a bot's persistent menu: up to four actions.
type PersistentMenu struct {
	Actions []MenuAction `json:"actions"`
}

func (m *RichMenu) clone() RichMenu {
	c := *m
	c.Areas = slices.Clone(m.Areas)
	for i := range c.Areas {
		c.Areas[i].Action = c.Areas[i].Action.clone()
	}
	return c
}

func (a MenuAction) clone() MenuAction {
	a.I18nLabels = slices.Clone(a.I18nLabels)
	a.I18nDisplayTexts = slices.Clone(a.I18nDisplayTexts)
	a.I18nTexts = slices.Clone(a.I18nTexts)
	return a
}

func (p *PersistentMenu) clone() PersistentMenu {
	c := PersistentMenu{Actions: slices.Clone(p.Actions)}
	for i := range c.Actions {
		c.Actions[i] = c.Actions[i].clone()
	}
	return c
}

func (img RichMenuImage) clone() RichMenuImage {
	img.I18nFileIDs = cloneOrEmpty(img.I18nFileIDs)
	return img
}
